#include "sync/rwsem.hpp"

namespace fsmc {

bool RwSem::Reader::may_enter(const void* arg) {
  const Reader& r = *static_cast<const Reader*>(arg);
  const LockState& l = r.exec->lock_state(r.sem);
  if (l.writer != no_thread) return false;
  if (l.readers == 0) return true;
  for (ThreadId u = 0; u < r.exec->thread_names().size(); ++u) {
    const Op& op = r.exec->pending(u);
    if (u != r.self && op.kind == OpKind::down_write && op.object == r.sem) return false;
  }
  return true;
}

LockStep RwSem::step_of(OpKind kind) {
  switch (kind) {
    case OpKind::down_read: return {.acquire = true, .shared = true};
    case OpKind::down_write: return {.acquire = true};
    case OpKind::up_read: return {.release = true, .shared = true};
    case OpKind::up_write: case OpKind::downgrade: return {.release = true};
    default: return {};
  }
}

// A writer waiting for the rwsem holds off new readers (Reader::may_enter),
// so the step after which a thread announces down_write acts on the rwsem.
ObjectId RwSem::acted_on_by_announcing(const Op& next) {
  return next.kind == OpKind::down_write ? next.object : no_object;
}

// A sleeper's step may end in announcing down_write, which blocks a
// down_read if the rwsem has readers by then; what a sleeper announces is
// not known before it runs. So a down_read keeps no sleeper asleep while
// there are readers, nor one whose own step is on the same rwsem.
bool RwSem::may_stay_asleep(const Executor& e, const Op& step, const Op& sleeper) {
  if (step.kind != OpKind::down_read) return true;
  if (e.lock_state(step.object).readers > 0) return false;
  return !(fsmc::lock_step(sleeper.kind).on_lock() && sleeper.object == step.object);
}

std::string RwSem::holders(const Executor& e, ObjectId sem) {
  const LockState& l = e.lock_state(sem);
  if (l.writer == no_thread && l.readers > 0) return " (held shared by " + std::to_string(l.readers) + ")";
  return Mutex::holders(e, sem);
}

}  // namespace fsmc
