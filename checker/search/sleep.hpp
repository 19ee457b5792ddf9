// Sleep sets (Godefroid): a thread whose step was explored from a state
// stays asleep in the branches that follow a step independent of it, since
// taking it there only reaches what was explored already. Shared by Dpor
// and SleepCache.
#pragma once

#include <array>
#include <cstdint>

#include "search/footprint.hpp"
#include "search/path.hpp"

namespace fsmc {

// The footprints of the threads' announced steps, each made once per step
// announced (Executor::version) instead of at every sleep-set update.
class PendingFootprints {
 public:
  PendingFootprints(const Executor& exec, const InvariantCoupling& coupling) : exec_(exec), coupling_(coupling) {}
  const Footprint& of(ThreadId t) const;
  const Executor& executor() const { return exec_; }

 private:
  struct Made {
    uint64_t version = 0;  // Executor::version when made; 0: never
    Footprint footprint;
  };
  const Executor& exec_;
  const InvariantCoupling& coupling_;
  // Fixed in size: a footprint handed out stays where it is while others are made.
  mutable std::array<Made, max_threads> made_{};
};

// The sleepers that stay asleep across thread `t`'s announced step, before it runs: those it commutes with.
ThreadMask still_asleep(const PendingFootprints& pending, ThreadMask asleep, ThreadId t);

// What thread `t`'s step turned out to touch, once it has run and announced
// its next step (announcing some steps acts on their lock: sync/primitive.hpp).
Footprint performed_footprint(const Executor& exec, const InvariantCoupling& coupling, ThreadId t, const Op& performed);
// The same from `announced`, the footprint of the step it ran as it was
// announced, made before the step (cheaper than making it again).
Footprint performed_footprint(const Executor& exec, Footprint announced, ThreadId t);

// The sleepers left asleep once a step with footprint `ran` has run.
ThreadMask wake(const PendingFootprints& pending, ThreadMask asleep, const Footprint& ran);

}  // namespace fsmc
