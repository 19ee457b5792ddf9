#include "cli/coverage_report.hpp"

#include <algorithm>

#include "model/kernel_steps.hpp"

namespace fsmc::cli {

namespace {

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

bool met(const SearchResult& r, std::size_t goal) { return goal < r.goals_met.size() && r.goals_met[goal]; }

// Why a goal was not met: a finished proof says it cannot be; anything else has not looked everywhere.
std::string missed(const SearchResult& r) {
  return r.exhaustive ? "not reached by any execution" : "not reached (yet: the search did not cover every execution)";
}

}  // namespace

std::string goal_text(const ReachGoal& goal) {
  std::string s = goal.step;
  if (!goal.after.empty()) s += " after " + goal.after;
  if (!goal.before.empty()) s += " before " + goal.before;
  return s;
}

StepCoverage step_coverage(const SearchResult& r) {
  StepCoverage c;
  for (const std::string& id : model::kernel_steps()) {
    bool reached = std::find(r.steps_reached.begin(), r.steps_reached.end(), id) != r.steps_reached.end();
    (reached ? c.reached : c.not_reached).push_back(id);
  }
  return c;
}

std::vector<std::string> goals_missed(const std::vector<ReachGoal>& goals, const SearchResult& r) {
  std::vector<std::string> out;
  for (std::size_t g = 0; g < goals.size(); ++g)
    if (!met(r, g)) out.push_back(goal_text(goals[g]));
  return out;
}

std::string coverage_text(const std::vector<ReachGoal>& goals, const SearchResult& r) {
  StepCoverage c = step_coverage(r);
  std::string s = "  steps reached: " + std::to_string(c.reached.size()) + " of " +
                  std::to_string(model::kernel_steps().size());
  if (!c.not_reached.empty()) s += "; not reached: " + joined(c.not_reached, " ");
  s += "\n";
  for (std::size_t g = 0; g < goals.size(); ++g)
    s += "  reach " + goal_text(goals[g]) + ": " + (met(r, g) ? "reached" : missed(r)) + "\n";
  if (r.verdict == Verdict::vacuous)
    s += "  the search found nothing, but it never entered what the goals ask for: this pass proves nothing\n";
  return s;
}

void add_coverage_json(const std::vector<ReachGoal>& goals, const SearchResult& r, nlohmann::ordered_json& j) {
  StepCoverage c = step_coverage(r);
  j["steps_reached"] = c.reached;
  j["steps_not_reached"] = c.not_reached;
  if (goals.empty()) return;
  nlohmann::ordered_json reach = nlohmann::ordered_json::array();
  for (std::size_t g = 0; g < goals.size(); ++g) {
    nlohmann::ordered_json o = {{"step", goals[g].step}};
    if (!goals[g].after.empty()) o["after"] = goals[g].after;
    if (!goals[g].before.empty()) o["before"] = goals[g].before;
    o["reached"] = met(r, g);
    reach.push_back(std::move(o));
  }
  j["reach"] = std::move(reach);
}

std::vector<std::pair<std::string, std::string>> coverage_properties(const std::vector<ReachGoal>& goals,
                                                                     const SearchResult& r) {
  StepCoverage c = step_coverage(r);
  std::vector<std::pair<std::string, std::string>> p = {
      {"steps_reached", std::to_string(c.reached.size()) + " of " + std::to_string(model::kernel_steps().size())},
      {"steps_not_reached", joined(c.not_reached, " ")}};
  for (std::size_t g = 0; g < goals.size(); ++g)
    p.push_back({"reach " + goal_text(goals[g]), met(r, g) ? "reached" : "not reached"});
  return p;
}

}  // namespace fsmc::cli
