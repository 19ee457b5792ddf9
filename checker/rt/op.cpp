#include "rt/op.hpp"

#include <cassert>

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

Op& Op::touch(ObjectId o, AccessKind kind) {
  for (unsigned i = 0; i < n_accesses; ++i)
    if (accesses[i].object == o) {
      // read + update of one object is a read-modify-write
      Access& a = accesses[i];
      if (a.kind != kind) a.kind = AccessKind::write;
      return *this;
    }
  assert(n_accesses < max_accesses && "a step declares too many objects");
  accesses[n_accesses++] = {o, kind};
  if (object == no_object) object = o;
  return *this;
}

bool Op::is_lock_op() const {
  switch (kind) {
    case OpKind::lock: case OpKind::trylock: case OpKind::unlock:
    case OpKind::down_read: case OpKind::down_write: case OpKind::up_read:
    case OpKind::up_write: case OpKind::downgrade:
      return true;
    default:
      return false;
  }
}

}  // namespace fsmc
