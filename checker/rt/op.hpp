// A visible operation: what a model thread announces before the scheduler
// lets it run. The engine decides enabledness and dependence from it alone.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fsmc {

using ThreadId = uint32_t;
using ObjectId = uint32_t;
inline constexpr ThreadId no_thread = UINT32_MAX;
inline constexpr ObjectId no_object = UINT32_MAX;

enum class OpKind : uint8_t {
  access,      // read and/or write of model objects (see Op::accesses)
  lock,        // Mutex
  trylock,
  unlock,
  down_read,   // RwSem, Linux rw_semaphore semantics
  down_write,
  up_read,
  up_write,
  downgrade,
  wait,        // block until Op::ready holds (e.g. a folio's writeback bit clears)
  choose,      // nondeterministic value in [0, Op::choices)
  finish,      // the thread's body returned
};

std::string_view to_string(OpKind kind);

// How a step touches an object. Two `update`s of the same object commute
// (a counter bumped by two threads ends the same either way); anything
// against a `write`, and a `read` against an update, does not.
enum class AccessKind : uint8_t { read, update, write };

struct Access {
  ObjectId object = no_object;
  AccessKind kind = AccessKind::read;
};

// A predicate for OpKind::wait without allocation: a function pointer and its
// argument (which lives in the waiting thread's suspended frame).
struct Ready {
  bool (*fn)(const void*) = nullptr;
  const void* arg = nullptr;
  bool operator()() const { return fn(arg); }
};

struct Op {
  static constexpr unsigned max_accesses = 8;

  OpKind kind = OpKind::finish;
  ObjectId object = no_object;  // the lock, the waited-on object, or the main object accessed
  const char* function = "";    // model function named after the kernel's, for the trace
  const char* point = "";       // step id within it (W1, B6, M12, ...: docs/kernel-steps.md)
  uint8_t n_accesses = 0;
  std::array<Access, max_accesses> accesses{};  // objects this step reads/writes (dependence)
  Ready ready{};                // wait
  uint32_t choices = 0;         // choose

  Op& reads(ObjectId o) { return touch(o, AccessKind::read); }
  Op& updates(ObjectId o) { return touch(o, AccessKind::update); }
  Op& writes(ObjectId o) { return touch(o, AccessKind::write); }
  Op& touch(ObjectId o, AccessKind kind);
  bool is_lock_op() const;
};

}  // namespace fsmc
