// The JSON counterexample trace: the interface users read, replay and attach
// to bug reports. Schema: reports/README.md; contract: scenario-format.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/search.hpp"

namespace fsmc::reports {

inline constexpr int trace_version = 1;

struct TraceInfo {
  std::string scenario;          // name
  std::string scenario_file;     // as given on the command line
  nlohmann::ordered_json scenario_json;  // the scenario itself, for replay
  std::string kernel;
  std::map<std::string, bool> fixes;
  std::string strategy;
  uint64_t seed = 0;
  uint64_t executions = 0;
};

// `explain`: the trace's "explain" section (cli/race_analysis.hpp), or null for none.
nlohmann::ordered_json trace_to_json(const TraceInfo& info, const Counterexample& c,
                                     const nlohmann::ordered_json& explain = nullptr);
// The model state as the trace's "state" object: its fields in the model's order.
nlohmann::ordered_json state_to_json(const StateDump& state);

// What replay and show need back from a trace file.
struct LoadedTrace {
  nlohmann::ordered_json json;
  std::string invariant;
  std::string message;
  std::vector<uint32_t> decisions;
  std::vector<TraceStep> steps;
  std::vector<std::string> threads;  // names of the embedded scenario's threads, in order
  std::map<std::string, bool> fixes; // as recorded
};

// More steps than the engine's step limit lets an execution take.
inline constexpr std::size_t max_trace_steps = 100000;

// Checks the trace's structure: every field read is of the right type, its
// text printable and bounded; on error, one line naming the field.
std::optional<LoadedTrace> trace_from_json(const std::string& path, const nlohmann::ordered_json& json,
                                           std::string& error);

}  // namespace fsmc::reports
