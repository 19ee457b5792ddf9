// Linux rw_semaphore: readers share, a writer excludes everyone, a writer
// waiting for the lock holds off new readers (so recursive down_read can
// deadlock, as in the kernel), and a writer may downgrade to a reader.
// Everything about it is here and in rwsem.cpp: when each step may run
// (Op::ready), what it does to the lock's state, how the reductions see its
// steps (two down_reads commute, a thread announcing down_write acts on the
// lock) and who holds it when a thread cannot get it. The engine asks
// through sync/primitive.hpp.
#pragma once

#include <string>

#include "rt/executor.hpp"
#include "sync/mutex.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

struct RwSem {
  ObjectId id = no_object;

  void down_read(Thread& t, const char* function, const char* point = "") const {
    // Lives in this frame while the step waits: Op::ready points at it.
    const Reader reader{&t.executor(), id, t.id()};
    t.step(Op{.kind = OpKind::down_read, .object = id, .function = function, .point = point,
              .ready = Ready{&Reader::may_enter, &reader}});
    t.executor().acquire(t.id(), id, false);
  }
  void down_write(Thread& t, const char* function, const char* point = "") const {
    down_write(t, Op{.function = function, .point = point});
  }
  // down_write as a step that also reads/writes the objects `op` declares.
  void down_write(Thread& t, Op op) const {
    op.kind = OpKind::down_write;
    op.object = id;
    op.ready = Mutex{id}.free(t.executor());
    t.step(op);
    t.executor().acquire(t.id(), id, true);
  }
  void up_read(Thread& t, const char* function, const char* point = "") const {
    up_read(t, Op{.function = function, .point = point});
  }
  void up_read(Thread& t, Op op) const {
    op.kind = OpKind::up_read;
    op.object = id;
    t.step(op);
    t.executor().release(t.id(), id);
  }
  void up_write(Thread& t, const char* function, const char* point = "") const {
    t.step(Op{.kind = OpKind::up_write, .object = id, .function = function, .point = point});
    t.executor().release(t.id(), id);
  }
  void downgrade(Thread& t, const char* function, const char* point = "") const {
    t.step(Op{.kind = OpKind::downgrade, .object = id, .function = function, .point = point});
    t.executor().downgrade(t.id(), id);
  }

  // The engine's questions (sync/primitive.hpp), for the kinds it owns.
  static bool owns(OpKind kind) {
    return kind == OpKind::down_read || kind == OpKind::down_write || kind == OpKind::up_read ||
           kind == OpKind::up_write || kind == OpKind::downgrade;
  }
  static LockStep step_of(OpKind kind);
  static ObjectId acted_on_by_announcing(const Op& next);
  static bool may_stay_asleep(const Executor& e, const Op& step, const Op& sleeper);
  static std::string holders(const Executor& e, ObjectId sem);

 private:
  struct Reader {
    const Executor* exec;
    ObjectId sem;
    ThreadId self;
    // No writer holds it, and none is waiting for it while it has readers.
    static bool may_enter(const void* arg);
  };
};

}  // namespace fsmc
