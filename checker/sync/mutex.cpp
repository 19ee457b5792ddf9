#include "sync/mutex.hpp"

namespace fsmc {

LockStep Mutex::step_of(OpKind kind) {
  switch (kind) {
    case OpKind::lock: return {.acquire = true};
    case OpKind::unlock: return {.release = true};
    case OpKind::trylock: return {.trylock = true};
    default: return {};
  }
}

std::string Mutex::holders(const Executor& e, ObjectId lock) {
  ThreadId owner = e.lock_state(lock).writer;
  return owner == no_thread ? "" : " (held by " + e.thread_names()[owner] + ")";
}

}  // namespace fsmc
