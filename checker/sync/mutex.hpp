// A sleeping lock with an owner (kernel mutex, folio lock): everything about
// it in one place — when a lock step may run (Op::ready), what it does to
// the lock's state, the ways the model takes it, how the reductions see its
// steps and who holds it when a thread cannot get it (mutex.cpp). The engine
// asks through sync/primitive.hpp.
#pragma once

#include <string>

#include "rt/executor.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

struct Mutex {
  ObjectId id = no_object;

  void lock(Thread& t, const char* function, const char* point = "") const {
    lock(t, Op{.function = function, .point = point});
  }
  // Lock as a step that also reads/writes the objects `op` declares. It
  // blocks while another thread holds the lock.
  void lock(Thread& t, Op op) const {
    op.kind = OpKind::lock;
    op.object = id;
    op.ready = free(t.executor());
    t.step(op);
    t.executor().acquire(t.id(), id, true);
  }

  // Lock as one step, but keep it only when `wanted()` holds once it is
  // ours (filemap_lock_folio: a lookup that finds no folio locks nothing).
  template <class Pred>
  bool lock_if(Thread& t, Op op, const Pred& wanted) const {
    lock(t, op);
    if (wanted()) return true;
    t.executor().release(t.id(), id);
    return false;
  }

  // Never blocks; true when the lock was free and is now ours.
  bool trylock(Thread& t, const char* function, const char* point = "") const {
    t.step(Op{.kind = OpKind::trylock, .object = id, .function = function, .point = point});
    if (locked(t.executor())) return false;
    t.executor().acquire(t.id(), id, true);
    return true;
  }

  // A trylock by a step that is done with the lock by its end (reclaim
  // locks a folio, evicts it and unlocks it within one step): true when the
  // lock was free. To other threads such a step only read the lock, so that
  // is what it declares, beside what `op` declares.
  bool trylock_within_step(Thread& t, Op op) const {
    op.kind = OpKind::access;
    op.reads(id);
    t.step(op);
    return !locked(t.executor());
  }

  void unlock(Thread& t, const char* function, const char* point = "") const {
    unlock(t, Op{.function = function, .point = point});
  }
  void unlock(Thread& t, Op op) const {
    op.kind = OpKind::unlock;
    op.object = id;
    t.step(op);
    t.executor().release(t.id(), id);
  }

  bool locked(const Executor& e) const { return e.lock_state(id).writer != no_thread; }

  // Readiness of a step that takes the lock exclusively (also RwSem's
  // down_write): nobody holds it. The state lives in the executor for the
  // whole execution, so the step can point at it.
  Ready free(const Executor& e) const {
    return Ready{[](const void* state) {
                   const auto& l = *static_cast<const LockState*>(state);
                   return l.writer == no_thread && l.readers == 0;
                 },
                 &e.lock_state(id)};
  }

  // The engine's questions (sync/primitive.hpp), for the kinds it owns.
  static bool owns(OpKind kind) {
    return kind == OpKind::lock || kind == OpKind::trylock || kind == OpKind::unlock;
  }
  // Lock, unlock and trylock all write the lock; a release does not race
  // with the next acquisition (Footprint::races).
  static LockStep step_of(OpKind kind);
  static std::string holders(const Executor& e, ObjectId lock);
};

}  // namespace fsmc
