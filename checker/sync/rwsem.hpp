// Linux rw_semaphore: readers share, a writer excludes everyone, a writer
// waiting for the lock holds off new readers (so recursive down_read can
// deadlock, as in the kernel), and a writer may downgrade to a reader.
#pragma once

#include "rt/executor.hpp"

namespace fsmc {

struct RwSem {
  ObjectId id = no_object;

  void down_read(Thread& t, const char* function, const char* point = "") const {
    t.step(Op{.kind = OpKind::down_read, .object = id, .function = function, .point = point});
    t.executor().acquire(t.id(), id, false);
  }
  void down_write(Thread& t, const char* function, const char* point = "") const {
    down_write(t, Op{.function = function, .point = point});
  }
  // down_write as a step that also reads/writes the objects `op` declares.
  void down_write(Thread& t, Op op) const {
    op.kind = OpKind::down_write;
    op.object = id;
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
};

}  // namespace fsmc
