// Why a counterexample happened: its racing pair, the lock that would have
// ordered the pair, the point of no return, and the smallest schedule that
// still ends in the same violation. Computed by running the model again
// along the trace's decisions (docs/scenario-format.md, "fsmc explain").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.hpp"

namespace fsmc::cli {

// One step of the racing pair, with the object the two conflict on.
struct RacingStep {
  uint32_t step = 0;
  std::string thread, function, point, detail, object;
  std::optional<std::string> before, after;  // the object's value, when the model can print it
  std::vector<HeldLock> locks;               // held during the step
};

// `thread` holding `lock` exclusively from step `from` to step `to` would
// have kept the other thread's critical section out of that window.
struct MissingOrder {
  std::string lock, thread;
  uint32_t from = 0, to = 0;
  std::string from_point, to_point;
  uint32_t section_from = 0, section_to = 0;  // the other thread's section under the lock
  std::string other_thread;
};

struct Explanation {
  std::vector<RacingStep> racing_pair;  // earlier, later; empty when no other thread conflicts
  std::optional<MissingOrder> missing_order;
  // Every continuation violates from `no_return_steps` steps on (0: from the
  // start); `searched` is false when a cap cut some search short, and then
  // the count is only an upper bound.
  uint32_t no_return_steps = 0;
  bool searched = true;
  std::vector<uint32_t> minimal_steps;      // indices of the trace's steps
  std::vector<uint32_t> minimal_decisions;  // replays to the same violation
  std::vector<TraceStep> minimal_trace;     // its steps, numbered as in the whole trace
  StateDump minimal_state;                  // where it ends
  std::vector<StateDump> states;            // when asked for: at the start, then after each step
};

struct TraceToExplain {
  const model::Scenario& scenario;
  const std::vector<uint32_t>& decisions;
  const std::string& invariant;
  const std::string& message;
  bool no_return = true;  // search for the point of no return (the slow part)
  bool states = false;    // record the state after every step
};

// nullopt with `error` set when the decisions do not reproduce the violation.
std::optional<Explanation> explain(const TraceToExplain& trace, std::string& error);

nlohmann::ordered_json to_json(const Explanation& e);

// One sentence on the lock that would have ordered the racing pair, or "".
std::string missing_order_text(const Explanation& e);

}  // namespace fsmc::cli
