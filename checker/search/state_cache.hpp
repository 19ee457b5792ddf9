// State caching for a plain depth-first search: an execution that reaches a
// state already explored stops there, since everything after it was seen.
//
// Sound only over a strategy that explores the whole subtree of every state
// it enters, i.e. unbounded Dfs. Not over Dpor: a reduced search explores a
// state's subtree only partly (its sleep set, and backtrack points that are
// added later from races with events after it), so a state seen once under
// DPOR does not stand for everything reachable from it. docs/engine.md has
// the argument; tests/checker/caching_test.cpp shows the lost violation.
//
// A state is Executor::state_key(): the model's own hash plus each thread's
// program point, locals and history. 64-bit keys: a collision would prune a
// state wrongly, with odds of about n^2 / 2^65 for n states.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "search/strategy.hpp"

namespace fsmc {

class StateCache : public Strategy {
 public:
  explicit StateCache(std::unique_ptr<Strategy> inner) : inner_(std::move(inner)) {}

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  void execution_done(const RunResult& result) override;
  bool exhaustive() const override { return inner_->exhaustive(); }
  bool wants_events() const override { return inner_->wants_events(); }
  bool wants_state_keys() const override { return true; }

  uint64_t states() const { return visited_.size(); }
  uint64_t hits() const { return hits_; }

 private:
  // Every execution of a depth-first search first replays part of the last
  // one; states on that shared prefix are in the cache and must not stop it.
  // The first decision that differs from the last execution leaves it.
  void follow(uint32_t decision);

  std::unique_ptr<Strategy> inner_;
  std::unordered_set<uint64_t> visited_;
  std::vector<uint32_t> last_path_, path_;
  bool on_last_path_ = false;
  uint64_t hits_ = 0;
};

}  // namespace fsmc
