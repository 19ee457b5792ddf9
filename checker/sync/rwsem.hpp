// Linux rw_semaphore: readers share, a writer excludes everyone, a writer
// waiting for the lock holds off new readers (so recursive down_read can
// deadlock, as in the kernel), and a writer may downgrade to a reader.
// When each step may run is here (Op::ready); the reductions' view of an
// rwsem — two down_reads commute, a thread announcing down_write acts on
// the lock — is in search/footprint.cpp and search/sleep.cpp.
#pragma once

#include "rt/executor.hpp"
#include "sync/mutex.hpp"

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

 private:
  struct Reader {
    const Executor* exec;
    ObjectId sem;
    ThreadId self;
    // No writer holds it, and none is waiting for it while it has readers.
    static bool may_enter(const void* arg) {
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
  };
};

}  // namespace fsmc
