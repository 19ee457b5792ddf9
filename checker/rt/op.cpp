#include "rt/op.hpp"

namespace fsmc {

std::string_view to_string(OpKind kind) {
  switch (kind) {
    case OpKind::access: return "access";
    case OpKind::lock: return "lock";
    case OpKind::trylock: return "trylock";
    case OpKind::unlock: return "unlock";
    case OpKind::down_read: return "down_read";
    case OpKind::down_write: return "down_write";
    case OpKind::up_read: return "up_read";
    case OpKind::up_write: return "up_write";
    case OpKind::downgrade: return "downgrade";
    case OpKind::wait: return "wait";
    case OpKind::choose: return "choose";
    case OpKind::finish: return "finish";
  }
  return "?";
}

Op& Op::touch(ObjectId first, uint32_t count, AccessKind kind) {
  if (count == 0) return *this;
  if (object == no_object) object = first;
  for (uint32_t i = 0; i < count; ++i) add(first + i, kind);
  return *this;
}

void Op::add(ObjectId o, AccessKind kind) {
  unsigned at = 0;
  while (at < n_ranges && accesses[at].first <= o) ++at;
  if (at > 0 && accesses[at - 1].contains(o)) {
    Access a = accesses[at - 1];
    if (a.kind == kind || a.kind == AccessKind::write) return;
    // read + update of one object is a read-modify-write: split o out
    erase(at - 1);
    unsigned i = at - 1;
    if (o > a.first) insert(i++, {a.first, o - a.first, a.kind});
    insert(i++, {o, 1, AccessKind::write});
    if (o + 1 < a.end()) insert(i, {o + 1, a.end() - o - 1, a.kind});
  } else {
    insert(at, {o, 1, kind});
  }
  normalize();
}

void Op::insert(unsigned at, Access a) {
  for (unsigned i = n_ranges; i > at; --i) accesses[i] = accesses[i - 1];
  accesses[at] = a;
  ++n_ranges;
}

void Op::erase(unsigned at) {
  for (unsigned i = at; i + 1 < n_ranges; ++i) accesses[i] = accesses[i + 1];
  --n_ranges;
}

// Joins touching ranges of one kind, then widens while there are too many.
void Op::normalize() {
  for (unsigned i = 0; i + 1 < n_ranges;) {
    Access& a = accesses[i];
    const Access& b = accesses[i + 1];
    if (a.kind == b.kind && a.end() == b.first) {
      a.count += b.count;
      erase(i + 1);
    } else {
      ++i;
    }
  }
  while (n_ranges > max_ranges) {
    unsigned best = 0;
    for (unsigned i = 1; i + 1 < n_ranges; ++i)
      if (accesses[i + 1].first - accesses[i].end() < accesses[best + 1].first - accesses[best].end()) best = i;
    Access& a = accesses[best];
    const Access& b = accesses[best + 1];
    a.kind = a.kind == b.kind ? a.kind : AccessKind::write;
    a.count = b.end() - a.first;
    erase(best + 1);
  }
}

}  // namespace fsmc
