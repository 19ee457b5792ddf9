// Random walks: each execution picks uniformly among the enabled threads and
// choice values. Never exhaustive.
#pragma once

#include "search/rng.hpp"
#include "search/strategy.hpp"

namespace fsmc {

class RandomWalk : public Strategy {
 public:
  RandomWalk(uint64_t seed, uint64_t executions) : rng_(seed), left_(executions) {}
  bool next_execution() override { return left_ > 0 && (--left_, true); }
  ThreadId pick_thread(const SchedulePoint& point) override {
    return point.enabled[rng_.below(static_cast<uint32_t>(point.enabled.size()))];
  }
  uint32_t pick_value(uint32_t choices) override { return rng_.below(choices); }

 private:
  Rng rng_;
  uint64_t left_;
};

}  // namespace fsmc
