// fsmc replay and fsmc show: reading a trace back.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/pinned_scenario.hpp"
#include "cli/trace_input.hpp"
#include "model/program.hpp"
#include "reports/atomic_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

int replay_command(const std::string& path) {
  auto in = read_trace_input(path);
  if (!in) return bad_input;
  const reports::LoadedTrace& t = in->trace;
  const model::Scenario& scenario = in->scenario.scenario;
  Executor exec(model::build_program(scenario));
  if (!exec.has_invariant(t.invariant) && t.invariant != no_deadlock && t.invariant != step_limit) {
    std::cerr << path << ": invariant: expected an invariant of the model, got \"" << t.invariant << "\"\n";
    return bad_input;
  }
  ReplayOutcome r = replay(exec, t.decisions, t.invariant);
  const std::vector<TraceStep>& steps = r.run.trace;
  std::string message = r.run.violations.empty() ? "" : r.run.violations[0].message;
  std::cout << reports::render_text(
      {title(t), t.invariant, message, thread_names(scenario), steps, reports::state_to_json(r.run.state), {}, {}, "", {}, {}});
  bool same = r.reproduced && steps.size() == t.steps.size();
  if (same) {
    std::cout << "reproduced: " << t.invariant << " at step " << (steps.empty() ? 0 : steps.back().index) << "\n";
    return ok;
  }
  if (r.diverged) std::cout << "not reproduced: a recorded decision is impossible in this model (the model changed?)\n";
  else if (!r.reproduced) std::cout << "not reproduced: " << t.invariant << " is not violated along the recorded decisions\n";
  else std::cout << "not reproduced: the violation comes after " << steps.size() << " steps, the trace recorded "
                 << t.steps.size() << "\n";
  return violation_found;
}

namespace {

// The minimal schedule's steps (numbered as in the whole trace) and the
// state it ends in.
reports::TraceView only_minimal(reports::TraceView v, const Explanation& e) {
  v.steps = e.minimal_trace;
  v.state = reports::state_to_json(e.minimal_state);
  return v;
}

}  // namespace

int show_command(const ShowOptions& o) {
  auto in = read_trace_input(o.trace);
  if (!in) return bad_input;
  if (o.as_scenario) {
    std::cout << pinned_scenario(*in).dump(2) << "\n";
    return ok;
  }
  // A trace the model no longer reproduces is still shown, unmarked; only
  // the minimal view needs the model to agree with it.
  std::optional<Explanation> e;
  if (o.minimal) {
    e = explain_input(*in, false, false);
    if (!e) return bad_input;
  } else {
    bool full = !o.html.empty();
    std::string unused;
    e = explain({in->scenario.scenario, in->trace.decisions, in->trace.invariant, in->trace.message, full, full}, unused);
  }
  reports::TraceView view = view_of(*in, e ? *e : Explanation{});
  if (!o.html.empty()) {
    std::string error;
    if (!reports::write_atomically(o.html, reports::render_html(view), error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
    std::cout << "wrote " << o.html << "\n";
    return ok;
  }
  if (o.minimal) view = only_minimal(std::move(view), *e);
  std::cout << (o.format == "commit" ? reports::render_commit(view) : reports::render_text(view));
  return ok;
}

int list_command(const std::string& what) {
  if (what == "kernels") {
    for (const model::KernelInfo& k : model::kernels()) {
      std::cout << k.name << "\t" << k.description << "\n";
      std::cout << "\tfixes:";
      if (k.fixes.empty()) std::cout << " (none)";
      for (const std::string& f : k.fixes) std::cout << " " << f;
      std::cout << "\n";
    }
    std::cout << "\nfixes (toggle one with \"fixes\": {\"NAME\": false} in a scenario):\n";
    for (const model::Named& f : model::fixes()) std::cout << "  " << f.name << "\t" << f.description << "\n";
  } else if (what == "ops") {
    for (const model::Named& o : model::ops()) std::cout << o.name << "\t" << o.description << "\n";
  } else {
    for (const model::Named& i : model::invariants()) std::cout << i.name << "\t" << i.description << "\n";
  }
  return ok;
}

}  // namespace fsmc::cli
