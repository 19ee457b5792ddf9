// Accesses to shared model state and waiting on it. The model announces which
// objects a step reads and writes, then changes its own state directly.
#pragma once

#include "rt/executor.hpp"

namespace fsmc {

// One step reading `object`.
inline void read(Thread& t, ObjectId object, const char* function, const char* point = "") {
  t.step(Op{.kind = OpKind::access, .function = function, .point = point}.reads(object));
}

// One step writing `object`.
inline void write(Thread& t, ObjectId object, const char* function, const char* point = "") {
  t.step(Op{.kind = OpKind::access, .function = function, .point = point}.writes(object));
}

// One step touching several objects at once: build the Op with reads()/writes().
inline void access(Thread& t, Op op) {
  op.kind = OpKind::access;
  t.step(op);
}

// Block until `ready()` holds (re-evaluated by the scheduler at every step),
// then run as one step reading `object`.
template <class Pred>
void wait_until(Thread& t, ObjectId object, const Pred& ready, const char* function, const char* point = "") {
  Op op{.kind = OpKind::wait, .function = function, .point = point};
  op.reads(object);
  op.ready = Ready{[](const void* p) { return (*static_cast<const Pred*>(p))(); }, &ready};
  t.step(op);
}

// The same, for a step that declares more objects: `op` carries the accesses.
template <class Pred>
void wait_until(Thread& t, Op op, const Pred& ready) {
  op.kind = OpKind::wait;
  op.ready = Ready{[](const void* p) { return (*static_cast<const Pred*>(p))(); }, &ready};
  t.step(op);
}

}  // namespace fsmc
