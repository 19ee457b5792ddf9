// fsmc replay and fsmc show: reading a trace back.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/pinned_scenario.hpp"
#include "cli/terminal_width.hpp"
#include "cli/trace_input.hpp"
#include "model/fixes.hpp"
#include "model/invariants.hpp"
#include "model/ops.hpp"
#include "model/program.hpp"
#include "search/replay.hpp"
#include "reports/atomic_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

namespace {

// The text view, or nullopt (with the reason printed) when it is too large.
std::optional<std::string> text_of(const std::string& path, const reports::TraceView& view, bool commit = false,
                                   std::optional<std::size_t> width = std::nullopt) {
  try {
    return commit ? reports::render_commit(view) : reports::render_text(view, line_width(width));
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
  std::string thread = d < threads.size() ? "thread " + std::to_string(d) + ", " + threads[d]
                                          : "thread " + std::to_string(d) + ", which the scenario does not have";
  return decision + " (" + thread + ") cannot be taken " + where + ": that thread cannot run there";
}

}  // namespace

int replay_command(const std::string& path) {
  auto in = read_trace_input(path);
  if (!in) return bad_input;
  const reports::LoadedTrace& t = in->trace;
  const model::Scenario& scenario = in->scenario.scenario;
  Executor exec(model::build_program(scenario));
  ReplayOutcome r = replay(exec, t.decisions, t.invariant);
  const std::vector<TraceStep>& steps = r.run.trace;
  std::optional<std::size_t> differs = first_difference(t.steps, steps);
  bool same = r.reproduced && steps.size() == t.steps.size() && !differs;
  if (same) {
    auto text = text_of(path, {title(t), t.invariant, r.run.violations[0].message, thread_names(scenario), steps,
                               reports::state_to_json(r.run.state), {}, {}, "", {}, {}, {}});
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
    std::cout << "not reproduced: " << divergence(exec, t, thread_names(scenario), steps) << "\n";
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
  if (auto problem = o.html.empty() ? std::nullopt : reports::file_target_problem(o.html)) {
    std::cerr << "fsmc: --html " << *problem << "\n";
    return bad_input;
  }
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
    std::string error, chart;
    try {
      chart = reports::render_html(view);
    } catch (const reports::ViewTooLarge&) {
      std::cerr << o.trace << ": steps: too large to chart (more than " << (reports::max_view_bytes >> 20)
                << " MiB of HTML)\n";
      return bad_input;
    }
    if (!reports::write_atomically(o.html, chart, error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
    std::cout << "wrote " << o.html << "\n";
    return ok;
  }
  if (o.minimal) view = only_minimal(std::move(view), *e);
  auto text = text_of(o.trace, view, o.format == "commit", o.width);
  if (!text) return bad_input;
  std::cout << *text;
  return ok;
}

int list_command(const std::string& what) {
  if (what == "kernels") {
    for (const model::KernelInfo& k : model::kernel_table()) {
      std::cout << k.name << "\t" << k.description << "\n";
      std::cout << "\tfixes:";
      if (k.fixes.none()) std::cout << " (none)";
      for (const model::FixInfo& f : model::fix_table())
        if (k.fixes.test(static_cast<std::size_t>(f.fix))) std::cout << " " << f.name;
      std::cout << "\n";
    }
    std::cout << "\nfixes (toggle one with \"fixes\": {\"NAME\": false} in a scenario):\n";
    for (const model::FixInfo& f : model::fix_table()) {
      std::string in;
      for (const model::KernelInfo& k : model::kernel_table())
        if (k.fixes.test(static_cast<std::size_t>(f.fix))) in += (in.empty() ? "" : ", ") + std::string(k.name);
      std::cout << "  " << f.name << "\t" << f.commits << ": " << f.description << " (in "
                << (in.empty() ? "no variant" : in) << ")\n";
    }
  } else if (what == "ops") {
    std::cout << ops_help();
  } else {
    for (const model::InvariantInfo& i : model::invariant_table()) std::cout << i.name << "\t" << i.description << "\n";
  }
  return ok;
}

std::string ops_help() {
  std::string out;
  for (const model::OpInfo& op : model::op_table()) {
    out += std::string(op.name) + "\t" + op.description + "\n";
    if (op.fields.empty()) out += "\t(no fields)\n";
    for (const model::OpField& f : op.fields) out += "\t" + model::field_summary(f) + "\n";
  }
  return out;
}

}  // namespace fsmc::cli
