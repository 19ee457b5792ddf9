// fsmc explain: the racing pair of a counterexample, the lock that would
// have ordered it, the point of no return and the minimal interleaving.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/trace_input.hpp"

namespace fsmc::cli {

namespace {

std::string value_change(const RacingStep& s) {
  if (!s.before && !s.after) return "";
  return ": " + s.before.value_or("?") + " -> " + s.after.value_or("?");
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

std::string step_name(const reports::LoadedTrace& t, uint32_t index) {
  for (const TraceStep& s : t.steps)
    if (s.index == index) return "step " + std::to_string(index) + " (" + s.thread_name + ", " + s.function +
                                 (s.point.empty() ? "" : " " + s.point) + ")";
  return "step " + std::to_string(index);
}

std::string explanation_text(const TraceInput& in, const Explanation& e) {
  const reports::LoadedTrace& t = in.trace;
  std::string out = title(t) + ": " + t.invariant + " violated at step " +
                    (t.steps.empty() ? std::string("?") : std::to_string(t.steps.back().index)) + "\n  " +
                    t.message + "\n\n";
  if (e.racing_pair.size() == 2) {
    out += "racing pair:\n";
    for (const RacingStep& s : e.racing_pair) {
      out += "  step " + std::to_string(s.step) + "  " + s.thread + "  " + s.function +
             (s.point.empty() ? "" : " " + s.point) + "\n";
      if (!s.detail.empty()) out += "      " + s.detail + "\n";
      out += "      " + s.object + value_change(s) + "\n";
      out += "      locks held: " + join(lock_texts(s.locks)) + "\n";
    }
  } else {
    out += "racing pair: none (no step of another thread conflicts with the violating one)\n";
  }
  out += "\nmissing order: ";
  out += e.missing_order ? missing_order_text(e) : std::string("no lock of the earlier step's thread could have ordered the pair");
  out += "\n\npoint of no return: ";
  if (e.no_return_steps == 0) out += "the start: every execution violates " + t.invariant;
  else out += "after " + step_name(t, e.no_return_steps - 1) + ": every continuation violates " + t.invariant;
  if (!e.searched) out += " (a search was capped: this is an upper bound)";
  out += "\n\nminimal interleaving: " + std::to_string(e.minimal_steps.size()) + " of " +
         std::to_string(t.steps.size()) + " steps (fsmc show --minimal)\n";
  return out;
}

}  // namespace

int explain_command(const std::string& path, bool json) {
  auto in = read_trace_input(path);
  if (!in) return bad_input;
  auto e = explain_input(*in, true, false);
  if (!e) return bad_input;
  if (json) std::cout << to_json(*e).dump(2) << "\n";
  else std::cout << explanation_text(*in, *e);
  return ok;
}

}  // namespace fsmc::cli
