#include "search/sleep.hpp"

#include "rt/executor.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

const Footprint& PendingFootprints::of(ThreadId t) const {
  Made& m = made_.at(t);
  if (m.version != exec_.version(t)) {
    m.footprint = coupling_.of(exec_.pending(t));
    m.version = exec_.version(t);
  }
  return m.footprint;
}

ThreadMask still_asleep(const PendingFootprints& pending, ThreadMask asleep, ThreadId t) {
  const Executor& exec = pending.executor();
  const Footprint& chosen = pending.of(t);
  ThreadMask out = 0;
  for (ThreadMask m = asleep; m; m &= m - 1) {
    ThreadId sleeper = lowest(m);
    if (may_stay_asleep(exec, exec.pending(t), exec.pending(sleeper)) && !pending.of(sleeper).conflicts(chosen))
      out |= bit(sleeper);
  }
  return out;
}

Footprint performed_footprint(const Executor& exec, const InvariantCoupling& coupling, ThreadId t, const Op& performed) {
  // `performed` may be the step still announced (a blocked one, as if it ran): then nothing was announced since.
  if (&exec.pending(t) == &performed) return coupling.of(performed);
  return performed_footprint(exec, coupling.of(performed), t);
}

Footprint performed_footprint(const Executor& exec, Footprint f, ThreadId t) {
  ObjectId announced = acted_on_by_announcing(exec.pending(t));
  if (announced != no_object) {
    f.add_write(announced);
    f.shared = false;  // not even a shared step commutes with it now
  }
  return f;
}

ThreadMask wake(const PendingFootprints& pending, ThreadMask asleep, const Footprint& ran) {
  for (ThreadMask m = asleep; m; m &= m - 1)
    if (pending.of(lowest(m)).conflicts(ran)) asleep &= ~(bit(lowest(m)));
  return asleep;
}

}  // namespace fsmc
