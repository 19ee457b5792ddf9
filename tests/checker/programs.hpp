// Small programs with known answers, shared by the engine tests.
#pragma once

#include <string>
#include <vector>

#include "checker.hpp"

namespace fsmc::testing {

// threads[i] independent steps for thread i, each on its own object.
inline Program independent_steps(std::vector<int> steps) {
  return [steps](Builder& b) {
    for (std::size_t t = 0; t < steps.size(); ++t) {
      ObjectId own = b.object("x" + std::to_string(t));
      int n = steps[t];
      b.thread("t" + std::to_string(t), [own, n](Thread& th) {
        for (int i = 0; i < n; ++i) write(th, own, "step");
      });
    }
  };
}

inline SearchResult run(const Program& p, SearchConfig c) {
  Executor e(p);
  return search(e, c);
}

inline SearchConfig with(StrategyKind k, int preemptions = 2) {
  SearchConfig c;
  c.strategy = k;
  c.preemptions = preemptions;
  return c;
}

}  // namespace fsmc::testing
