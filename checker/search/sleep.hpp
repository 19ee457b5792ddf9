// Sleep sets (Godefroid): a thread whose step was explored from a state
// stays asleep in the branches that follow a step independent of it, since
// taking it there only reaches what was explored already. Shared by Dpor
// and SleepCache.
#pragma once

#include <cstdint>

#include "search/footprint.hpp"
#include "search/path.hpp"

namespace fsmc {

// The sleepers that stay asleep across `step`, before it runs: those it commutes with.
ThreadMask still_asleep(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Op& step);

// What thread `t`'s step turned out to touch, once it has run and announced
// its next step (announcing some steps acts on their lock: sync/primitive.hpp).
Footprint performed_footprint(const Executor& exec, const InvariantCoupling& coupling, ThreadId t, const Op& performed);

// The sleepers left asleep once a step with footprint `ran` has run.
ThreadMask wake(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Footprint& ran);

}  // namespace fsmc
