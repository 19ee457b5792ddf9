// Follows a recorded decision list. A decision that is not possible (a thread
// that is not enabled, a value out of range) marks the replay as diverged.
#pragma once

#include <vector>

#include "search/strategy.hpp"

namespace fsmc {

class Replay : public Strategy {
 public:
  // `events`: record each step's Op (RunResult::events), for analyses of the trace.
  explicit Replay(std::vector<uint32_t> decisions, bool events = false)
      : decisions_(std::move(decisions)), events_(events) {}
  bool wants_events() const override { return events_; }
  bool next_execution() override { return !started_ && (started_ = true); }
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  bool diverged() const { return diverged_; }
  // Every decision was used.
  bool consumed() const { return next_ == decisions_.size(); }

 private:
  std::vector<uint32_t> decisions_;
  std::size_t next_ = 0;
  bool events_;
  bool started_ = false;
  bool diverged_ = false;
};

}  // namespace fsmc
