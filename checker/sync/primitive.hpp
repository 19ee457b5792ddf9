// What the engine asks of a step on a modeled primitive. The search and the
// executor stay generic: they ask here, and the primitive that owns the
// step's kind (sync/mutex.*, sync/rwsem.*) answers.
#pragma once

#include <string>

#include "rt/op.hpp"

namespace fsmc {

class Executor;

// A lock step as the reductions see it.
struct LockStep {
  bool acquire = false;  // may block on the lock
  bool release = false;  // may unblock it
  bool trylock = false;  // never blocks
  bool shared = false;   // commutes with the lock's other shared steps
  bool on_lock() const { return acquire || release || trylock; }
};

LockStep lock_step(OpKind kind);

// The lock a thread acts on by merely announcing `next` (a writer waiting
// for an rwsem holds off new readers), or no_object.
ObjectId acted_on_by_announcing(const Op& next);

// Sleep sets: false when `sleeper` must wake before `step` runs whatever
// their footprints say, because of what `step`'s primitive does.
bool may_stay_asleep(const Executor& exec, const Op& step, const Op& sleeper);

// Why a thread waiting to perform `blocked` cannot: who holds its lock
// (" (held by writer)"), or "" when it is not a lock step.
std::string holders(const Executor& exec, const Op& blocked);

}  // namespace fsmc
