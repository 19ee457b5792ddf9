// A sleeping lock with an owner (kernel mutex, folio lock).
#pragma once

#include "rt/executor.hpp"

namespace fsmc {

struct Mutex {
  ObjectId id = no_object;

  void lock(Thread& t, const char* function, const char* point = "") const {
    lock(t, Op{.function = function, .point = point});
  }
  // Lock as a step that also reads/writes the objects `op` declares.
  void lock(Thread& t, Op op) const {
    op.kind = OpKind::lock;
    op.object = id;
    t.step(op);
    t.executor().acquire(t.id(), id, true);
  }

  // Never blocks; true when the lock was free and is now ours.
  bool trylock(Thread& t, const char* function, const char* point = "") const {
    t.step(Op{.kind = OpKind::trylock, .object = id, .function = function, .point = point});
    if (t.executor().lock_state(id).writer != no_thread) return false;
    t.executor().acquire(t.id(), id, true);
    return true;
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
};

}  // namespace fsmc
