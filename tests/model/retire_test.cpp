// The engine abandons suspended fibers when an execution ends early
// (docs/engine.md), so model code must keep nothing with a destructor alive
// across a step. This checks the model itself: searches over the scenario
// shapes, with executions ending at violations and at sleep-set prunes while
// threads are suspended, leave no heap block behind.
#include <doctest/doctest.h>

#include "scenarios.hpp"

#include "../support/counting_allocator.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

// Searches `s` and returns the blocks left afterwards and how many
// executions ended with some thread still suspended.
std::pair<int64_t, uint64_t> search_leaves(const Scenario& s, StrategyKind k, bool keep_going) {
  int64_t before = fsmc::testing::live_heap_blocks.load();
  uint64_t early = 0;
  {
    Executor e(build_program(s));
    SearchConfig c;
    c.strategy = k;
    c.keep_going = keep_going;
    c.max_executions = 20000;
    SearchResult r = search(e, c);
    early = r.stats.pruned + r.counterexamples.size();
  }
  return {fsmc::testing::live_heap_blocks.load() - before, early};
}

}  // namespace

TEST_CASE("model threads keep nothing with a destructor across a step") {
  // First use builds the model's static catalogs (kept for the program's life).
  search_leaves(seed_race("v6.1"), StrategyKind::dpor, false);
  uint64_t early_total = 0;
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"}) {
    for (bool two_pages : {false, true}) {
      Scenario s = seed_race(kernel);
      if (two_pages) s.threads[0].ops[0] = write_op(0, 2, 1);
      for (StrategyKind k : {StrategyKind::dpor, StrategyKind::bounded, StrategyKind::random}) {
        for (bool keep_going : {false, true}) {
          CAPTURE(kernel);
          CAPTURE(two_pages);
          CAPTURE(static_cast<int>(k));
          auto [left, early] = search_leaves(s, k, keep_going);
          CHECK(left == 0);
          early_total += early;
        }
      }
    }
  }
  // The check means something only if executions did end with threads suspended.
  CHECK(early_total > 0);
}
