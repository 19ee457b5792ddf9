// Verdicts of the 198dd8ae race and its relatives in each kernel variant.
#include <doctest/doctest.h>

#include <algorithm>

#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

// Index of the first step of `thread` at kernel step `point`, or -1.
int find_step(const Counterexample& c, const std::string& thread, const std::string& point, int from = 0) {
  for (std::size_t i = from; i < c.steps.size(); ++i)
    if (c.steps[i].thread_name == thread && c.steps[i].point == point) return static_cast<int>(i);
  return -1;
}

}  // namespace

TEST_CASE("v6.1: the seed race leaves a dirty page over a hole, in the commit message's order") {
  SearchResult r = check(seed_race("v6.1"), {"dirty_backed"}, StrategyKind::bounded, false);
  REQUIRE(r.verdict == Verdict::violation);
  const Counterexample& c = r.counterexamples.at(0);
  CHECK(c.violation.invariant == "dirty_backed");
  CHECK(c.violation.preemptions == 1);
  // truncate_pagecache_range, then the fault dirties the page over the
  // writer's delalloc, then the punch: the violating step.
  int truncate = find_step(c, "writer", "E5");
  int dirty = find_step(c, "mapper", "M7");
  int punch = find_step(c, "writer", "E6");
  REQUIRE(truncate >= 0);
  CHECK(dirty > truncate);
  CHECK(punch == static_cast<int>(c.steps.size()) - 1);
  CHECK(c.violation.message.find("page 1 is dirty but its extent is a hole") != std::string::npos);
}

TEST_CASE("removing the invalidate_lock fix from v6.1+198dd8ae brings the race back") {
  Scenario s = seed_race("v6.1+198dd8ae");
  s.fixes["invalidate_lock_punch"] = false;
  SearchResult r = check(s, {"dirty_backed"}, StrategyKind::bounded, false);
  CHECK(r.verdict == Verdict::violation);
}

TEST_CASE("v6.1: the seed race also loses the store's data") {
  CHECK(check(seed_race("v6.1"), {"no_lost_data"}, StrategyKind::bounded, false).verdict == Verdict::violation);
}

TEST_CASE("v6.1+198dd8ae: a completed mmap store is thrown away by the cleanup's truncate (S2)") {
  SearchResult r = check(seed_race("v6.1+198dd8ae"), {"no_lost_data"}, StrategyKind::bounded, false);
  REQUIRE(r.verdict == Verdict::violation);
  const Counterexample& c = r.counterexamples.at(0);
  // The store completed before the writer, now under invalidate_lock, truncated its folio.
  int store = find_step(c, "mapper", "M12", find_step(c, "mapper", "M11"));
  int locked = find_step(c, "writer", "E4'");
  int truncate = find_step(c, "writer", "E5");
  CHECK(store >= 0);
  CHECK(locked > store);
  CHECK(truncate > locked);
}

namespace {

// S4: a writer caches the mapping of pages 0-1 while writeback converts and
// completes them and reclaim evicts page 1; its write ends one sector into page 1.
Scenario stale_iomap(const std::string& kernel) {
  Scenario s;
  s.name = "stale-iomap";
  s.kernel = kernel;
  s.file.size = 2;
  s.file.pages = 2;
  s.file.extents = {ExtentState::delalloc, ExtentState::delalloc};
  s.file.cache = {CacheState::dirty, CacheState::dirty};
  s.threads = {{"writer", {byte_write_op(0, page_size + sector_size)}},
               {"flusher", {plain_op("writeback")}},
               {"reclaimer", {page_op("reclaim", 1)}}};
  return s;
}

// S5: three dirty pages over one delalloc extent; mapping page 0 fails.
Scenario discard_after_error(const std::string& kernel) {
  Scenario s;
  s.name = "discard";
  s.kernel = kernel;
  s.file.size = 3;
  s.file.pages = 3;
  s.file.extents.assign(3, ExtentState::delalloc);
  s.file.cache.assign(3, CacheState::dirty);
  OpSpec fail_any = plain_op("writeback");
  fail_any.fail_any = true;
  s.threads = {{"flusher", {fail_any}}, {"mapper", {page_op("mmap_write", 2)}}};
  return s;
}

// S7: a short write over two clean cached pages of holes; reclaim of page 0.
Scenario punch_scan_eviction(const std::string& kernel) {
  Scenario s;
  s.name = "punch-scan";
  s.kernel = kernel;
  s.file.size = 2;
  s.file.pages = 2;
  s.file.cache = {CacheState::clean, CacheState::clean};
  s.threads = {{"writer", {write_op(0, 2, 0)}}, {"reclaimer", {page_op("reclaim", 0)}}};
  return s;
}

const std::vector<std::string> no_violation;

}  // namespace

TEST_CASE("S4: a stale mapping zeroes another write's sectors before v6.2, and iomap_valid is what stops it") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae"}) {
    CAPTURE(kernel);
    CHECK(violated(check(stale_iomap(kernel), {"no_lost_data"})) == std::vector<std::string>{"no_lost_data"});
  }
  CHECK(violated(check(stale_iomap("v6.2"), {})) == no_violation);
  Scenario off = stale_iomap("v6.2");
  off.fixes["iomap_valid"] = false;
  SearchResult r = check(off, {"no_lost_data"}, StrategyKind::automatic, false);
  REQUIRE(r.verdict == Verdict::violation);
  const Counterexample& c = r.counterexamples.at(0);
  // The new folio of page 1 is prepared by zeroing after its block became written.
  int done = find_step(c, "end_io 0", "IC1");  // the worker of the ioend of pages 0-1
  int evicted = find_step(c, "reclaimer", "EV1");
  int zeroed = find_step(c, "writer", "I4");
  REQUIRE(zeroed >= 0);
  CHECK(done >= 0);
  CHECK(evicted > done);
  CHECK(zeroed > evicted);
  CHECK(c.violation.message.find("page 1 sector 1 reads as zeros") != std::string::npos);
}

TEST_CASE("S5: xfs_discard_folio's empty range punches other pages' delalloc in v6.2 only") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2+8ac5b996"}) {
    CAPTURE(kernel);
    CHECK(violated(check(discard_after_error(kernel), {"dirty_backed"})) == no_violation);
  }
  CHECK(violated(check(discard_after_error("v6.2"), {"dirty_backed"})) == std::vector<std::string>{"dirty_backed"});
  Scenario off = discard_after_error("v6.2+8ac5b996");
  off.fixes["discard_folio_end"] = false;
  CHECK(violated(check(off, {"dirty_backed"})) == std::vector<std::string>{"dirty_backed"});
}

TEST_CASE("S7: eviction between the punch scan's SEEK_DATA and SEEK_HOLE WARNs in v6.2, not with 7a9d43eace88") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae"}) {
    CAPTURE(kernel);
    CHECK(violated(check(punch_scan_eviction(kernel), {})) == no_violation);
  }
  SearchResult r = check(punch_scan_eviction("v6.2"), {}, StrategyKind::automatic, false);
  REQUIRE(r.verdict == Verdict::violation);
  const Counterexample& c = r.counterexamples.at(0);
  CHECK(c.violation.invariant == "no_warning");
  int seek_data = find_step(c, "writer", "R3");
  int evicted = find_step(c, "reclaimer", "EV1");
  CHECK(evicted > seek_data);
  CHECK(find_step(c, "writer", "R4") == static_cast<int>(c.steps.size()) - 1);
  Scenario fixed = punch_scan_eviction("v6.2");
  fixed.fixes["seek_hole_race"] = true;
  CHECK(violated(check(fixed, {})) == no_violation);
}

TEST_CASE("a violation with i_size inside a page reports the size in bytes beside the pages") {
  // A write ends one sector into page 1; mapping page 0 then fails and v6.2
  // punches page 1's delalloc under its dirty folio.
  Scenario s;
  s.name = "partial-size";
  s.kernel = "v6.2";
  s.file.pages = 2;
  s.threads = {{"t", {byte_write_op(0, page_size + sector_size), failing_writeback_op(0)}}};
  SearchResult r = check(s, {"dirty_backed"}, StrategyKind::automatic, false);
  REQUIRE(r.verdict == Verdict::violation);
  const StateDump& state = r.counterexamples.at(0).state;
  REQUIRE(state.size() >= 2);
  CHECK(state[0].key == "size");
  CHECK(std::get<int64_t>(state[0].value) == 2);
  CHECK(state[1].key == "size_bytes");
  CHECK(std::get<int64_t>(state[1].value) == 4608);
}

TEST_CASE("removing f43dc4dc's punch scan from v6.2 brings back the completed store's loss (S2)") {
  CHECK(violated(check(seed_race("v6.2"), {"no_lost_data"})) == no_violation);
  Scenario s = seed_race("v6.2");
  s.fixes["punch_keeps_dirty_cache"] = false;
  CHECK(violated(check(s, {"no_lost_data"})) == std::vector<std::string>{"no_lost_data"});
}
