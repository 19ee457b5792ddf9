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

struct TraceStep {
  uint32_t index = 0;
  ThreadId thread = no_thread;
  std::string thread_name;
  std::string function;
  std::string point;
  OpKind op = OpKind::access;
  std::string object;
  std::string detail;
  std::vector<std::string> locks;  // held by the thread after the step
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
