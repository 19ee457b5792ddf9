// What an execution leaves behind: the steps it took (when tracing), the
// violations it found, and the decisions that reproduce it.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "rt/op.hpp"

namespace fsmc {

// Names of the invariants the engine itself checks.
inline constexpr const char* no_deadlock = "no_deadlock";
inline constexpr const char* step_limit = "step_limit";

// A model's state in a form any report writer can print: ordered fields.
using StateValue = std::variant<int64_t, std::string, std::vector<std::string>>;
struct StateField {
  std::string key;
  StateValue value;
};
using StateDump = std::vector<StateField>;

// How a thread holds a lock: a mutex, or an rwsem shared or exclusive.
enum class LockMode : uint8_t { mutex, shared, exclusive };

struct HeldLock {
  std::string lock;  // the lock's object name
  LockMode mode = LockMode::mutex;
  bool operator==(const HeldLock&) const = default;
};

// The trace format's text for a held lock — "NAME", "NAME_SHARED" or
// "NAME_EXCL" — and back again.
inline std::string to_string(const HeldLock& h) {
  return h.lock + (h.mode == LockMode::shared ? "_SHARED" : h.mode == LockMode::exclusive ? "_EXCL" : "");
}
inline HeldLock parse_held_lock(const std::string& text) {
  for (auto [suffix, mode] : {std::pair{std::string_view("_SHARED"), LockMode::shared},
                              std::pair{std::string_view("_EXCL"), LockMode::exclusive}})
    if (text.size() > suffix.size() && text.ends_with(suffix))
      return {text.substr(0, text.size() - suffix.size()), mode};
  return {text, LockMode::mutex};
}
inline std::vector<std::string> lock_texts(const std::vector<HeldLock>& held) {
  std::vector<std::string> out;
  for (const HeldLock& h : held) out.push_back(to_string(h));
  return out;
}

struct TraceStep {
  uint32_t index = 0;
  ThreadId thread = no_thread;
  std::string thread_name;
  std::string function;
  std::string point;
  OpKind op = OpKind::access;
  std::string object;
  std::string detail;
  std::vector<HeldLock> locks;     // held by the thread after the step
  uint32_t value = 0;              // the value a choose step returned
  bool preemption = false;         // the scheduler switched to this thread away from one that could have gone on
};

struct Violation {
  std::string invariant;
  std::string message;
  uint32_t step = 0;         // steps taken when it was seen (the violating step is step-1)
  uint32_t preemptions = 0;  // preemptions in the prefix up to the violation
  std::vector<uint32_t> decisions;  // replaying these reproduces it
};

}  // namespace fsmc
