// Wraps a strategy and keeps the steps of the current execution as they were
// announced: which thread took each and its Op. For analyses of a trace (the
// racing pair, the minimal schedule) and for tests; a search never needs it,
// so the executor does not copy Ops for one.
#pragma once

#include <vector>

#include "rt/executor.hpp"
#include "search/strategy.hpp"

namespace fsmc {

struct Event {
  ThreadId thread;
  Op op;
};

class Recorder : public Strategy {
 public:
  explicit Recorder(Strategy& inner) : inner_(inner) {}

  // The steps of the execution that runs now, or ran last.
  const std::vector<Event>& events() const { return events_; }

  bool next_execution() override {
    events_.clear();
    return inner_.next_execution();
  }
  ThreadId pick_thread(const SchedulePoint& point) override {
    ThreadId t = inner_.pick_thread(point);
    if (t != no_thread) events_.push_back({t, point.executor->pending(t)});
    return t;
  }
  uint32_t pick_value(uint32_t choices) override { return inner_.pick_value(choices); }
  void execution_done(const RunResult& result) override { inner_.execution_done(result); }
  bool exhaustive() const override { return inner_.exhaustive(); }
  bool wants_state_keys() const override { return inner_.wants_state_keys(); }
  bool seen_before() const override { return inner_.seen_before(); }
  std::optional<uint32_t> cycle_from() const override { return inner_.cycle_from(); }
  StrategyStats stats() const override { return inner_.stats(); }

 private:
  Strategy& inner_;
  std::vector<Event> events_;
};

}  // namespace fsmc
