// Scenarios at the contract's limits (64 pages, 16 threads, 64 ops a thread):
// they run, and their counts are the same from run to run.
#include <doctest/doctest.h>

#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

SearchResult run(const Scenario& s, StrategyKind k, bool stateful, uint64_t max_executions = 10'000'000) {
  Executor e(build_program(s));
  SearchConfig c;
  c.strategy = k;
  c.stateful = stateful;
  c.max_executions = max_executions;
  return search(e, c);
}

// A write and a punch over the whole file, and a store to its last page.
Scenario whole_file(uint32_t pages, bool with_mapper) {
  Scenario s;
  s.name = "whole-file";
  s.kernel = "v6.2";
  s.file.size = pages;
  s.file.pages = pages;
  s.threads = {{"writer", {write_op(0, pages)}}, {"puncher", {page_op("punch_hole", 0, pages)}}};
  if (with_mapper) s.threads.push_back({"mapper", {page_op("mmap_write", pages - 1)}});
  return s;
}

}  // namespace

TEST_CASE("a write and a punch over all 64 pages: a proof, the same twice") {
  SearchResult a = run(whole_file(64, false), StrategyKind::dfs, true);
  SearchResult b = run(whole_file(64, false), StrategyKind::dfs, true);
  CHECK(a.verdict == Verdict::pass);
  CHECK(a.exhaustive);
  CHECK(a.stats.executions == b.stats.executions);
  CHECK(a.stats.states == b.stats.states);
}

TEST_CASE("the stateless proof over steps of many objects gives the same count every run") {
  // The write's steps over 4 pages declare more than 8 objects; a fixed
  // array of 8 once made DPOR read past its end and count differently from
  // run to run.
  SearchResult a = run(whole_file(4, true), StrategyKind::dpor, false);
  SearchResult b = run(whole_file(4, true), StrategyKind::dpor, false);
  CHECK(a.verdict == Verdict::pass);
  CHECK(a.stats.executions == 45317);
  CHECK(b.stats.executions == 45317);
}

TEST_CASE("16 threads and one thread of 64 ops run within a cap") {
  Scenario s;
  s.name = "wide";
  s.kernel = "v6.1";
  s.file.size = 16;
  s.file.pages = 16;
  s.threads.push_back({"writer", {write_op(0, 16)}});
  for (uint32_t p = 0; p < 14; ++p) s.threads.push_back({"mapper" + std::to_string(p), {page_op("mmap_write", p)}});
  std::vector<OpSpec> many;
  for (uint32_t i = 0; i < 64; ++i)
    many.push_back(i % 4 == 0 ? write_op(i % 16, 16 - i % 16) : i % 4 == 1 ? page_op("punch_hole", 0, 16)
                   : i % 4 == 2 ? plain_op("writeback") : page_op("mmap_write", i % 16));
  s.threads.push_back({"busy", many});
  REQUIRE(s.threads.size() == 16);
  SearchResult a = run(s, StrategyKind::dpor, false, 100);
  SearchResult b = run(s, StrategyKind::dpor, false, 100);
  CHECK(a.stats.executions == b.stats.executions);
  CHECK(a.stats.steps == b.stats.steps);
  CHECK(a.verdict == b.verdict);
}

TEST_CASE("corpus shapes scaled to 12 pages explore the same executions twice") {
  // The seed race with the write, and so its steps' objects, over 12 pages.
  for (const char* kernel : {"v6.1+198dd8ae", "v6.2"}) {
    CAPTURE(kernel);
    Scenario s = seed_race(kernel);
    s.file.size = s.file.pages = 12;
    s.threads[0].ops[0] = write_op(1, 11, 0);
    SearchResult a = run(s, StrategyKind::dpor, false, 3000);
    SearchResult b = run(s, StrategyKind::dpor, false, 3000);
    CHECK(a.stats.executions == b.stats.executions);
    CHECK(a.stats.steps == b.stats.steps);
    CHECK(a.stats.pruned == b.stats.pruned);
  }
}
