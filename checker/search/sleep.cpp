#include "search/sleep.hpp"

#include "rt/executor.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

ThreadMask still_asleep(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Op& step) {
  Footprint chosen = coupling.of(step);
  ThreadMask out = 0;
  for (ThreadMask m = asleep; m; m &= m - 1) {
    const Op& sleeper = exec.pending(lowest(m));
    if (may_stay_asleep(exec, step, sleeper) && !coupling.of(sleeper).conflicts(chosen)) out |= bit(lowest(m));
  }
  return out;
}

Footprint performed_footprint(const Executor& exec, const InvariantCoupling& coupling, ThreadId t, const Op& performed) {
  Footprint f = coupling.of(performed);
  const Op& next = exec.pending(t);
  ObjectId announced = acted_on_by_announcing(next);
  if (announced != no_object && &next != &performed) {
    f.add_write(announced);
    f.shared = false;  // not even a shared step commutes with it now
  }
  return f;
}

ThreadMask wake(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Footprint& ran) {
  for (ThreadMask m = asleep; m; m &= m - 1)
    if (coupling.of(exec.pending(lowest(m))).conflicts(ran)) asleep &= ~(bit(lowest(m)));
  return asleep;
}

}  // namespace fsmc
