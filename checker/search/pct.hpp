// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): random
// distinct thread priorities, always run the highest-priority enabled thread,
// and lower the running thread's priority at d-1 random change points. A bug
// of depth d is found with probability at least 1/(n k^(d-1)) per execution.
#pragma once

#include <vector>

#include "search/rng.hpp"
#include "search/strategy.hpp"

namespace fsmc {

class Pct : public Strategy {
 public:
  Pct(uint64_t seed, uint64_t executions, uint32_t depth) : rng_(seed), left_(executions), depth_(depth) {}
  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override { return rng_.below(choices); }
  void execution_done(const RunResult& result) override;

 private:
  Rng rng_;
  uint64_t left_;
  uint32_t depth_;
  uint32_t max_steps_ = 64;     // k: estimated from the longest execution so far
  bool fresh_ = true;           // priorities not yet drawn for this execution
  std::vector<uint32_t> priority_;
  std::vector<uint32_t> change_points_;
};

}  // namespace fsmc
