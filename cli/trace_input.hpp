// Reading a trace file back with the scenario embedded in it, for the
// commands that look at a trace (replay, show, explain).
#pragma once

#include <optional>
#include <string>

#include "cli/race_analysis.hpp"
#include "cli/scenario_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

struct TraceInput {
  std::string path;
  reports::LoadedTrace trace;
  ScenarioFile scenario;  // from the trace's scenario_json
};

// The trace checked as cli/trace_file.hpp says; prints the one-line error on
// stderr and returns nullopt for anything wrong.
std::optional<TraceInput> read_trace_input(const std::string& path);

// "scenario [kernel]"
std::string title(const reports::LoadedTrace& t);

// The trace's explanation, with the point of no return and the state after
// every step when asked for (slower). Prints the error and
// returns nullopt when the trace does not replay in this model.
std::optional<Explanation> explain_input(const TraceInput& in, bool no_return, bool states);

// The view of the whole trace, with the racing pair and the minimal steps marked.
reports::TraceView view_of(const TraceInput& in, const Explanation& e);
// Marks what the explanation knows in a view: racing pair, minimal steps,
// missing order, point of no return, states along the steps.
void mark(reports::TraceView& v, const Explanation& e);

}  // namespace fsmc::cli
