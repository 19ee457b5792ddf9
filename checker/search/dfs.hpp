// Depth-first search of the decision tree. Every execution follows the
// recorded prefix — from the initial state, or resumed from a state saved
// on it (Strategy::departs_at) — then takes the first option at each new
// decision; backtracking advances the deepest unfinished one.
// With a preemption bound, a decision that would preempt a still-enabled
// thread beyond the bound is not offered (and the search is then not exhaustive).
#pragma once

#include <vector>

#include "search/path.hpp"
#include "search/strategy.hpp"

namespace fsmc {

class Dfs : public Strategy {
 public:
  static constexpr int unbounded = -1;
  explicit Dfs(int preemption_bound = unbounded) : bound_(preemption_bound) {}

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  void execution_done(const RunResult&) override { path_.cut_to_depth(); }
  bool exhaustive() const override { return done_ && !cut_; }
  StrategyStats stats() const override { return {.explored = path_.explored()}; }
  std::optional<std::size_t> departs_at() const override { return departs_at_; }
  void resumed_at(std::size_t depth) override;
  bool worth_saving() const override { return worth_saving_; }
  // True once the bound kept some option from being explored.
  bool cut() const { return cut_; }

 private:
  int bound_;
  Path<uint32_t> path_;       // each branch with the preemptions before it
  uint32_t preemptions_ = 0;  // on the current execution so far
  std::optional<std::size_t> departs_at_;
  bool worth_saving_ = false;
  bool started_ = false;
  bool done_ = false;
  bool cut_ = false;
};

// Preemption bounding with iterative deepening: bound 0, 1, ... max, so the
// first counterexample found has the fewest preemptions. Exhaustive when a
// whole round ran without the bound cutting anything off.
class IterativeBounding : public Strategy {
 public:
  explicit IterativeBounding(int max_bound) : max_bound_(max_bound), round_(0) {}

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override { return round_.pick_thread(point); }
  uint32_t pick_value(uint32_t choices) override { return round_.pick_value(choices); }
  void execution_done(const RunResult& result) override { round_.execution_done(result); }
  bool exhaustive() const override { return exhaustive_; }
  StrategyStats stats() const override { return {.bound = bound_}; }
  std::optional<std::size_t> departs_at() const override { return round_.departs_at(); }
  void resumed_at(std::size_t depth) override { round_.resumed_at(depth); }
  bool worth_saving() const override { return round_.worth_saving(); }

 private:
  int max_bound_;
  int bound_ = 0;
  Dfs round_;
  bool exhaustive_ = false;
};

}  // namespace fsmc
