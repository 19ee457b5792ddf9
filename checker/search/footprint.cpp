#include "search/footprint.hpp"

#include "rt/executor.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

namespace {
std::size_t fold(ObjectId o) { return o % Footprint::bits; }
uint64_t summary_bit(std::size_t folded) { return 1ull << (folded % 64); }
}  // namespace

void Footprint::add_write(ObjectId o) {
  writes.set(fold(o));
  summary |= summary_bit(fold(o));
}

Footprint Footprint::without_lock() const {
  Footprint f = *this;
  f.writes.reset(fold(lock));
  return f;
}

// A release and a later acquisition of the same lock cannot be reordered; the
// order worth trying is that of the two acquisitions, which race directly.
bool Footprint::races(const Footprint& o) const {
  if (!(summary & o.summary)) return false;
  if (lock != no_object && lock == o.lock && (release || o.release) && !trylock && !o.trylock)
    return without_lock().data_conflicts(o.without_lock());
  return conflicts(o);
}

InvariantCoupling::InvariantCoupling(const Executor& exec, bool couple)
    : extra_(Footprint::bits), extra_summary_(Footprint::bits, 0) {
  if (!couple) return;
  for (const std::vector<ObjectId>& reads : exec.checked_invariant_reads()) {
    if (reads.empty()) couple_all_ = true;
    std::bitset<Footprint::bits> set;
    uint64_t summary = 0;
    for (ObjectId o : reads) {
      set.set(fold(o));
      summary |= summary_bit(fold(o));
    }
    for (ObjectId o : reads) {
      extra_[fold(o)] |= set;
      extra_summary_[fold(o)] |= summary;
    }
  }
}

Footprint InvariantCoupling::of(const Op& op) const {
  Footprint f;
  op.for_each_access([&](ObjectId o, AccessKind kind) {
    (kind == AccessKind::read ? f.reads : kind == AccessKind::update ? f.updates : f.writes).set(fold(o));
    f.summary |= summary_bit(fold(o));
  });
  LockStep s = lock_step(op.kind);
  f.acquire = s.acquire;
  f.release = s.release;
  f.trylock = s.trylock;
  f.shared = s.shared;
  if (s.on_lock()) {
    f.lock = op.object;
    f.add_write(op.object);
  }
  if ((f.writes | f.updates).any() && couple_all_) {
    f.reads.set();
    f.summary = ~uint64_t{0};
  }
  op.for_each_access([&](ObjectId o, AccessKind kind) {
    if (kind == AccessKind::read) return;
    f.reads |= extra_[fold(o)];
    f.summary |= extra_summary_[fold(o)];
  });
  if (f.lock != no_object) {
    f.reads |= extra_[fold(f.lock)];
    f.summary |= extra_summary_[fold(f.lock)];
  }
  return f;
}

}  // namespace fsmc
