// DPOR and stateful DFS against plain DFS on scenarios small enough for DFS
// to finish: the same violated invariants and the same set of reachable
// final states.
#include <doctest/doctest.h>

#include <set>

#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

struct Seen {
  std::set<std::string> violated;
  std::set<uint64_t> finals;
  uint64_t executions = 0;
};

Seen explore(const Scenario& s, StrategyKind k, bool stateful = false) {
  Seen seen;
  Executor e(build_program(s, [&seen](const Inode& ip) { seen.finals.insert(hash_state(ip)); }));
  SearchConfig c;
  c.strategy = k;
  c.stateful = stateful;
  c.keep_going = true;
  SearchResult r = search(e, c);
  CHECK(r.exhaustive);
  CHECK(r.stateful == stateful);
  for (const Counterexample& ce : r.counterexamples) seen.violated.insert(ce.violation.invariant);
  seen.executions = r.stats.executions;
  return seen;
}

void agree(const Scenario& s) {
  Seen dfs = explore(s, StrategyKind::dfs);
  Seen dpor = explore(s, StrategyKind::dpor);
  Seen cached = explore(s, StrategyKind::dfs, true);
  CHECK(dpor.violated == dfs.violated);
  CHECK(dpor.finals == dfs.finals);
  CHECK(dpor.executions <= dfs.executions);
  CHECK(cached.violated == dfs.violated);
  CHECK(cached.finals == dfs.finals);
  CHECK(cached.executions <= dfs.executions);
  MESSAGE(s.name << " [" << s.kernel << "]: dfs " << dfs.executions << ", dpor " << dpor.executions
                 << ", stateful dfs " << cached.executions << " executions");
}

}  // namespace

TEST_CASE("dpor agrees with dfs: writer and mapper of the seed race, every variant") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"}) {
    CAPTURE(kernel);
    Scenario s = seed_race(kernel);
    s.threads.pop_back();  // no flusher: small enough for plain DFS
    agree(s);
  }
}

TEST_CASE("dpor agrees with dfs: mapper against writeback and reclaim") {
  for (const char* kernel : {"v6.1", "v6.2"}) {
    CAPTURE(kernel);
    Scenario s;
    s.name = "mapper-writeback-reclaim";
    s.kernel = kernel;
    s.file.size = 1;
    s.file.pages = 1;
    s.threads = {{"mapper", {page_op("mmap_write", 0)}}, {"flusher", {plain_op("writeback")}}, {"reclaimer", {page_op("reclaim", 0)}}};
    agree(s);
  }
}

TEST_CASE("dpor agrees with dfs: truncate racing a writer and a mapper") {
  Scenario s;
  s.name = "truncate-vs-write";
  s.kernel = "v6.2";
  s.file.size = 2;
  s.file.pages = 2;
  s.threads = {{"writer", {write_op(1, 1)}}, {"truncator", {truncate_op(1)}}};
  agree(s);
  s.threads = {{"mapper", {page_op("mmap_write", 1)}}, {"truncator", {truncate_op(1)}}};
  agree(s);
}

TEST_CASE("auto on two workers, its rounds beside the proof: the one-core answer, steps reached included") {
  // A trial of 20 steps leaves the seed race to the rounds and the proof.
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"}) {
    CAPTURE(kernel);
    Program p = build_program(seed_race(kernel));
    SearchConfig c;
    c.trial_steps = 20;
    Executor e1(p);
    SearchResult one = search(e1, c);
    c.jobs = 2;
    Executor e2(p);
    SearchResult two = search(e2, c);
    CHECK(two.rounds_beside);
    CHECK(two.verdict == one.verdict);
    CHECK(std::set<std::string>(two.steps_reached.begin(), two.steps_reached.end()) ==
          std::set<std::string>(one.steps_reached.begin(), one.steps_reached.end()));
    REQUIRE(two.counterexamples.size() == one.counterexamples.size());
    for (std::size_t i = 0; i < one.counterexamples.size(); ++i) {
      CHECK(two.counterexamples[i].violation.decisions == one.counterexamples[i].violation.decisions);
      CHECK(two.counterexamples[i].replays);
    }
    // The rounds' violation: counted as on one core.
    if (one.verdict == Verdict::violation) CHECK(two.stats.executions == one.stats.executions);
    else CHECK(one.verdict == Verdict::pass);
  }
}
