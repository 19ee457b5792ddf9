// fsmc replay and fsmc show: reading a trace back.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/input_file.hpp"
#include "model/program.hpp"
#include "reports/atomic_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

namespace {

std::optional<reports::LoadedTrace> load(const std::string& path) {
  std::string error;
  std::optional<std::string> text = read_input_file(path, error);
  if (!text) {
    std::cerr << error << "\n";
    return std::nullopt;
  }
  auto t = reports::trace_from_json(path, *text, error);
  if (!t) std::cerr << error << "\n";
  return t;
}

std::string title(const reports::LoadedTrace& t) {
  return t.json.value("scenario", "?") + " [" + t.json.value("kernel", "?") + "]";
}

}  // namespace

int replay_command(const std::string& path) {
  auto t = load(path);
  if (!t) return bad_input;
  InputError error;
  auto sf = parse_scenario(path + ": scenario_json", t->json["scenario_json"], error);
  if (!sf) {
    std::cerr << error.message << "\n";
    return bad_input;
  }
  Executor exec(model::build_program(sf->scenario));
  if (!exec.has_invariant(t->invariant) && t->invariant != no_deadlock && t->invariant != step_limit) {
    std::cerr << path << ": invariant: expected an invariant of the model, got \"" << t->invariant << "\"\n";
    return bad_input;
  }
  ReplayOutcome r = replay(exec, t->decisions, t->invariant);
  const std::vector<TraceStep>& steps = r.run.trace;
  std::string message = r.run.violations.empty() ? "" : r.run.violations[0].message;
  std::cout << reports::render_text(
      {title(*t), t->invariant, message, thread_names(sf->scenario), steps, reports::state_to_json(r.run.state)});
  bool same = r.reproduced && steps.size() == t->steps.size();
  if (same) {
    std::cout << "reproduced: " << t->invariant << " at step " << (steps.empty() ? 0 : steps.back().index) << "\n";
    return ok;
  }
  if (r.diverged) std::cout << "not reproduced: a recorded decision is impossible in this model (the model changed?)\n";
  else if (!r.reproduced) std::cout << "not reproduced: " << t->invariant << " is not violated along the recorded decisions\n";
  else std::cout << "not reproduced: the violation comes after " << steps.size() << " steps, the trace recorded "
                 << t->steps.size() << "\n";
  return violation_found;
}

int show_command(const std::string& path, const std::string& html) {
  auto t = load(path);
  if (!t) return bad_input;
  reports::TraceView view{title(*t), t->invariant, t->message, t->threads, t->steps,
                          t->json.value("state", nlohmann::ordered_json::object())};
  if (html.empty()) {
    std::cout << reports::render_text(view);
    return ok;
  }
  std::string error;
  if (!reports::write_atomically(html, reports::render_html(view), error)) {
    std::cerr << error << "\n";
    return bad_input;
  }
  std::cout << "wrote " << html << "\n";
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
