// Whether every continuation of an execution prefix ends in a violation:
// plain DFS over what can happen after the prefix's decisions. The point of
// no return of a counterexample is the shortest prefix for which this holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rt/executor.hpp"

namespace fsmc {

struct Continuations {
  enum class Answer { all_violate, some_escape, unknown };
  Answer answer = Answer::unknown;  // unknown: the cap stopped the search, or the prefix is not possible
  uint64_t executions = 0;
};

// Checks only `invariant` (and the engine's own): a continuation that ends
// without violating it — also one that deadlocks — escapes.
Continuations every_continuation_violates(Executor& executor, const std::vector<uint32_t>& prefix,
                                          const std::string& invariant, uint64_t max_executions);

}  // namespace fsmc
