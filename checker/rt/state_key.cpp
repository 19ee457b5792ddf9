// The state of an execution at a scheduling point, as the stateful search
// keys it (docs/engine.md, "State caching").
#include <cassert>

#include "rt/executor.hpp"
#include "rt/hash.hpp"

namespace fsmc {

namespace {

uint64_t fold_text(uint64_t h, const char* s) {
  for (; *s; ++s) h = fold(h, static_cast<unsigned char>(*s));
  return fold(h, 0);
}

// A thread's program point for state keys: the step it announced.
uint64_t point_key(const Op& op) {
  uint64_t h = fold(fold(fold(0, static_cast<uint64_t>(op.kind)), op.object), op.choices);
  h = fold_text(fold_text(h, op.function), op.point);
  for (unsigned i = 0; i < op.n_ranges; ++i) {
    const Access& a = op.accesses[i];
    h = fold(fold(h, uint64_t{a.first} << 8 | static_cast<uint64_t>(a.kind)), a.count);
  }
  return h;
}

}  // namespace

// With observe_reads: one more step of the thread, and what it is about to
// see of the objects it declared (Builder::object_hash).
uint64_t Executor::observe(uint64_t history, const Op& op) const {
  history = mix(history, 0);
  if (!object_hash_) return history;
  auto fold = [&](ObjectId id) {
    const Object& o = objects_[id];
    history = o.kind == ObjectKind::plain ? mix(history, object_hash_(id))
                                          : mix(mix(history, o.lock.writer), o.lock.readers);
  };
  if (op.object != no_object) fold(op.object);
  op.for_each_access([&](ObjectId o, AccessKind) { fold(o); });
  return history;
}

uint64_t Executor::thread_key(const Slot& s) const {
  if (s.finished) return 1;
  // Everything keyed below changes only while the thread runs, and every
  // run gives it a new version (saved and restored with the rest).
  if (s.key_version == s.version) return s.key;
  if (s.point_stale) {  // hashed when first needed: most steps are replayed, never keyed
    s.point = point_key(*s.pending);
    s.point_stale = false;
  }
  uint64_t locals = s.locals;
  if (s.locals_fn) {  // hashed again only when the thread has run since
    if (s.locals_version != s.version) {
      s.locals_computed = s.locals_fn(s.locals_arg);
      s.locals_version = s.version;
    }
    locals = s.locals_computed;
  }
  uint64_t h = fold(fold(fold(0, s.point), locals), s.history);
  for (const Held& held : s.held) h = fold(h, uint64_t{held.lock} << 1 | held.exclusive);
  s.key_version = s.version;
  s.key = h;
  return h;
}

uint64_t Executor::state_key() const {
  assert(has_state_hash());
  std::array<uint64_t, max_threads> threads;
  for (ThreadId t = 0; t < slots_.size(); ++t) threads[t] = thread_key(slots_[t]);
  bool renamed = canonical_order(threads);
  uint64_t h = fold(0, renamed ? renamed_objects_key() : objects_keyed_ ? objects_key_ : state_hash_());
  for (const Object& o : objects_)
    if (o.kind != ObjectKind::plain) {
      uint64_t writer = o.lock.writer == no_thread ? no_thread : order_[o.lock.writer];
      h = fold(h, writer << 32 | o.lock.readers);
    }
  std::array<uint64_t, max_threads> placed;
  for (ThreadId t = 0; t < slots_.size(); ++t) placed[order_[t]] = threads[t];
  for (ThreadId t = 0; t < slots_.size(); ++t) h = fold(h, placed[t]);
  if (coverage_.ordered()) h = fold(h, coverage_.key());
  return mix(h, 0);
}

}  // namespace fsmc
