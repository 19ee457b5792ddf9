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
