#include "cli/trace_input.hpp"

#include <iostream>

#include "cli/trace_file.hpp"

namespace fsmc::cli {

std::optional<TraceInput> read_trace_input(const std::string& path) {
  std::string error;
  auto f = read_trace(path, error);
  if (!f) {
    std::cerr << error << "\n";
    return std::nullopt;
  }
  return TraceInput{path, std::move(f->trace), std::move(f->scenario)};
}

std::string title(const reports::LoadedTrace& t) {
  return t.json.value("scenario", "?") + " [" + t.json.value("kernel", "?") + "]";
}

std::optional<Explanation> explain_input(const TraceInput& in, bool no_return, bool states) {
  std::string error;
  auto e = explain({in.scenario.scenario, in.trace.decisions, in.trace.invariant, in.trace.message, no_return, states},
                   error);
  if (!e) std::cerr << in.path << ": " << error << "\n";
  return e;
}

reports::TraceView view_of(const TraceInput& in, const Explanation& e) {
  const reports::LoadedTrace& t = in.trace;
  reports::TraceView v{title(t), t.invariant, t.message, t.threads, t.steps,
                       t.json.value("state", nlohmann::ordered_json::object()), {}, {}, "", {}, {}, {}};
  mark(v, e);
  return v;
}

void mark(reports::TraceView& v, const Explanation& e) {
  for (const RacingStep& s : e.racing_pair) v.racing.push_back(s.step);
  if (!e.racing_pair.empty()) v.broken_at = e.racing_pair.back().step;
  v.minimal = e.minimal_steps;
  v.why = missing_order_text(e);
  if (e.searched && e.no_return_steps > 0) v.no_return = e.no_return_steps - 1;
  for (const StateDump& s : e.states) v.states.push_back(reports::state_to_json(s));
}

}  // namespace fsmc::cli
