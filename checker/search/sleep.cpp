#include "search/sleep.hpp"

#include "rt/executor.hpp"

namespace fsmc {

ThreadMask still_asleep(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Op& step) {
  // A sleeper's step may end in announcing down_write, which blocks this
  // down_read if the rwsem has readers by then; what a sleeper announces is
  // not known before it runs. So a down_read keeps no sleeper asleep while
  // there are readers, nor one whose own step is on the same rwsem.
  bool reader = step.kind == OpKind::down_read;
  if (reader && exec.lock_state(step.object).readers > 0) return 0;
  Footprint chosen = coupling.of(step);
  ThreadMask out = 0;
  for (ThreadMask m = asleep; m; m &= m - 1) {
    const Op& sleeper = exec.pending(lowest(m));
    if (reader && sleeper.is_lock_op() && sleeper.object == step.object) continue;
    if (!coupling.of(sleeper).conflicts(chosen)) out |= bit(lowest(m));
  }
  return out;
}

Footprint performed_footprint(const Executor& exec, const InvariantCoupling& coupling, ThreadId t, const Op& performed) {
  Footprint f = coupling.of(performed);
  // A writer waiting for an rwsem holds off new readers, so the step after
  // which a thread announces down_write acts on the rwsem.
  const Op& next = exec.pending(t);
  if (next.kind == OpKind::down_write && &next != &performed) {
    f.add_write(next.object);
    f.shared = false;  // not even a down_read commutes with it now
  }
  return f;
}

ThreadMask wake(const Executor& exec, const InvariantCoupling& coupling, ThreadMask asleep, const Footprint& ran) {
  for (ThreadMask m = asleep; m; m &= m - 1)
    if (coupling.of(exec.pending(lowest(m))).conflicts(ran)) asleep &= ~(bit(lowest(m)));
  return asleep;
}

}  // namespace fsmc
