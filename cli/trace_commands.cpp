// fsmc replay and fsmc show: reading a trace back.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/trace_file.hpp"
#include "model/program.hpp"
#include "search/replay.hpp"
#include "reports/atomic_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

namespace {

std::string title(const TraceFile& f) {
  return f.scenario.scenario.name + " [" + f.scenario.scenario.kernel + "]";
}

// The text view, or nullopt (with the reason printed) when it is too large.
std::optional<std::string> text_of(const std::string& path, const reports::TraceView& view) {
  try {
    return reports::render_text(view);
  } catch (const reports::ViewTooLarge&) {
    std::cerr << path << ": steps: too large to show (more than " << (reports::max_view_bytes >> 20)
              << " MiB of text)\n";
    return std::nullopt;
  }
}

// The first step, among those both took, where the replay did something
// other than the trace records (a trace edited by hand, or a changed model).
std::optional<std::size_t> first_difference(const std::vector<TraceStep>& recorded, const std::vector<TraceStep>& ran) {
  for (std::size_t i = 0; i < std::min(recorded.size(), ran.size()); ++i)
    if (recorded[i].thread_name != ran[i].thread_name || recorded[i].function != ran[i].function ||
        recorded[i].op != ran[i].op)
      return i;
  return std::nullopt;
}

std::string who(const TraceStep& s) {
  return s.thread_name + " in " + s.function + " (" + std::string(to_string(s.op)) + ")";
}

// Which recorded decision could not be taken, and where.
std::string divergence(Executor& exec, const reports::LoadedTrace& t, const std::vector<std::string>& threads,
                       const std::vector<TraceStep>& taken) {
  Replay probe(t.decisions);
  probe.next_execution();
  exec.check_only({t.invariant});
  exec.run(probe, {});
  std::string where = taken.empty() ? "before the first step" : "after step " + std::to_string(taken.back().index);
  std::size_t k = probe.diverged_at();
  if (k >= t.decisions.size()) return "the recorded decisions end at a choice the model makes " + where;
  std::string decision = "decision " + std::to_string(k) + " of " + std::to_string(t.decisions.size());
  uint32_t d = t.decisions[k];
  if (probe.diverged_on_value())
    return decision + " (value " + std::to_string(d) + ") cannot be taken " + where + ": the choice there has fewer values";
  std::string thread = d < threads.size() ? "thread " + std::to_string(d) + ", " + threads[d] : "thread " + std::to_string(d) + ", which the scenario does not have";
  return decision + " (" + thread + ") cannot be taken " + where + ": that thread cannot run there";
}

}  // namespace

int replay_command(const std::string& path) {
  std::string error;
  auto f = read_trace(path, error);
  if (!f) {
    std::cerr << error << "\n";
    return bad_input;
  }
  const reports::LoadedTrace& t = f->trace;
  Executor exec(model::build_program(f->scenario.scenario));
  ReplayOutcome r = replay(exec, t.decisions, t.invariant);
  const std::vector<TraceStep>& steps = r.run.trace;
  std::optional<std::size_t> differs = first_difference(t.steps, steps);
  bool same = r.reproduced && steps.size() == t.steps.size() && !differs;
  if (same) {
    auto text = text_of(path, {title(*f), t.invariant, r.run.violations[0].message, thread_names(f->scenario.scenario),
                               steps, reports::state_to_json(r.run.state)});
    if (!text) return bad_input;
    std::cout << *text << "reproduced: " << t.invariant << " at step " << steps.back().index << "\n";
    return ok;
  }
  // Only what this replay saw is printed: the steps it took, and no violation
  // it did not find.
  std::cout << "replayed " << steps.size() << " of the trace's " << t.steps.size() << " steps:\n";
  for (const TraceStep& s : steps)
    std::cout << "  " << s.index << "  " << s.thread_name << ": " << reports::step_summary(s) << "\n";
  if (r.diverged)
    std::cout << "not reproduced: " << divergence(exec, t, thread_names(f->scenario.scenario), steps) << "\n";
  else if (differs)
    std::cout << "not reproduced: step " << *differs << " differs: the trace recorded " << who(t.steps[*differs])
              << ", the replay ran " << who(steps[*differs]) << "\n";
  else if (!r.reproduced)
    std::cout << "not reproduced: " << t.invariant << " is not violated along the recorded decisions\n";
  else
    std::cout << "not reproduced: the violation comes after " << steps.size() << " steps, the trace recorded "
              << t.steps.size() << "\n";
  return violation_found;
}

int show_command(const std::string& path, const std::string& html) {
  if (auto problem = html.empty() ? std::nullopt : reports::file_target_problem(html)) {
    std::cerr << "fsmc: --html " << *problem << "\n";
    return bad_input;
  }
  std::string error;
  auto f = read_trace(path, error);
  if (!f) {
    std::cerr << error << "\n";
    return bad_input;
  }
  const reports::LoadedTrace& t = f->trace;
  reports::TraceView view{title(*f), t.invariant, t.message, thread_names(f->scenario.scenario), t.steps,
                          t.json.value("state", nlohmann::ordered_json::object())};
  if (html.empty()) {
    auto text = text_of(path, view);
    if (!text) return bad_input;
    std::cout << *text;
    return ok;
  }
  std::string chart;
  try {
    chart = reports::render_html(view);
  } catch (const reports::ViewTooLarge&) {
    std::cerr << path << ": steps: too large to chart (more than " << (reports::max_view_bytes >> 20) << " MiB of HTML)\n";
    return bad_input;
  }
  if (!reports::write_atomically(html, chart, error)) {
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
