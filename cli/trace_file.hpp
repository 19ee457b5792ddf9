// Reading a trace file for fsmc replay and fsmc show: its structure
// (reports/trace_json), the scenario embedded in it (held to the rules of a
// scenario file), and the trace against itself — its header and steps must
// agree with the embedded scenario, or it could claim what never ran.
#pragma once

#include <optional>
#include <string>

#include "cli/scenario_file.hpp"
#include "reports/trace_json.hpp"

namespace fsmc::cli {

// Larger than a trace of the engine's longest execution.
inline constexpr std::size_t max_trace_bytes = 64 << 20;

struct TraceFile {
  reports::LoadedTrace trace;
  ScenarioFile scenario;  // the embedded scenario_json
};

// nullopt with a one-line `error` naming the file and the field.
std::optional<TraceFile> read_trace(const std::string& path, std::string& error);

}  // namespace fsmc::cli
