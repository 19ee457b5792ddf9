#include "sync/primitive.hpp"

#include "sync/mutex.hpp"
#include "sync/rwsem.hpp"

namespace fsmc {

LockStep lock_step(OpKind kind) {
  if (Mutex::owns(kind)) return Mutex::step_of(kind);
  if (RwSem::owns(kind)) return RwSem::step_of(kind);
  return {};
}

ObjectId acted_on_by_announcing(const Op& next) {
  return RwSem::owns(next.kind) ? RwSem::acted_on_by_announcing(next) : no_object;
}

bool may_stay_asleep(const Executor& exec, const Op& step, const Op& sleeper) {
  return RwSem::owns(step.kind) ? RwSem::may_stay_asleep(exec, step, sleeper) : true;
}

std::string holders(const Executor& exec, const Op& blocked) {
  if (Mutex::owns(blocked.kind)) return Mutex::holders(exec, blocked.object);
  if (RwSem::owns(blocked.kind)) return RwSem::holders(exec, blocked.object);
  return "";
}

}  // namespace fsmc
