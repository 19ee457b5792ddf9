// Follows a recorded decision list. A decision that is not possible (a thread
// that is not enabled, a value out of range) marks the replay as diverged.
#pragma once

#include <vector>

#include "search/strategy.hpp"

namespace fsmc {

struct ReplayOptions {
  bool find_cycle = false;  // at the end of the decisions, tell whether the state reached came
                            // earlier on the path (a cycle, as the stateful search reports one)
};

class Replay : public Strategy {
 public:
  explicit Replay(std::vector<uint32_t> decisions, ReplayOptions options = {})
      : decisions_(std::move(decisions)), find_cycle_(options.find_cycle) {}
  bool wants_state_keys() const override { return find_cycle_; }
  std::optional<uint32_t> cycle_from() const override { return cycle_from_; }
  bool next_execution() override { return !started_ && (started_ = true); }
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  bool diverged() const { return diverged_; }
  // Where it diverged: the index of the decision that could not be taken
  // (the number of decisions, when they ran out at a choice of value), and
  // whether a thread or a value was to be chosen there.
  std::size_t diverged_at() const { return diverged_at_; }
  bool diverged_on_value() const { return diverged_on_value_; }
  // Every decision was used.
  bool consumed() const { return next_ == decisions_.size(); }

 private:
  std::vector<uint32_t> decisions_;
  std::size_t next_ = 0;
  bool started_ = false;
  bool diverged_ = false;
  std::size_t diverged_at_ = 0;
  bool diverged_on_value_ = false;
  bool find_cycle_ = false;
  std::vector<std::pair<uint64_t, uint32_t>> keys_;  // with find_cycle: state key and step at each scheduling point
  std::optional<uint32_t> cycle_from_;
};

}  // namespace fsmc
