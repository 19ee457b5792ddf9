#include "search/tasks.hpp"

#include <algorithm>

namespace fsmc {

namespace {

bool has(const std::vector<Violation>& found, const std::string& invariant) {
  return std::any_of(found.begin(), found.end(), [&](const Violation& v) { return v.invariant == invariant; });
}

bool all_found(const std::vector<Violation>& found, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return has(found, w); });
}

// Adds a part's counterexamples: keep_going keeps the first of each invariant.
void add(std::vector<Violation>& found, const Part& part, bool keep_going) {
  for (const Violation& v : part.violations)
    if (!keep_going || !has(found, v.invariant)) found.push_back(v);
}

void add(SearchResult& r, const Part& part) {
  r.stats.executions += part.stats.executions;
  r.stats.steps += part.stats.steps;
  r.stats.pruned += part.stats.pruned;
  r.stats.states += part.stats.states;
  r.stats.max_depth = std::max(r.stats.max_depth, part.stats.max_depth);
  if (part.stats.bound >= 0) r.stats.bound = part.stats.bound;
  r.stateful |= part.stateful;
  for (const std::string& id : part.reached)
    if (std::find(r.steps_reached.begin(), r.steps_reached.end(), id) == r.steps_reached.end())
      r.steps_reached.push_back(id);
  for (std::size_t g = 0; g < part.goals_met.size() && g < r.goals_met.size(); ++g)
    if (part.goals_met[g]) r.goals_met[g] = true;
}

// Whether the serial search stops after a part that found `found` so far.
bool settles(const Part& part, const std::vector<Violation>& found, bool keep_going,
             const std::vector<std::string>& wanted) {
  if (!part.finished) return true;
  return keep_going ? all_found(found, wanted) : !found.empty();
}

}  // namespace

bool lead_settles(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted) {
  std::vector<Violation> found;
  add(found, parts.lead, keep_going);
  return settles(parts.lead, found, keep_going, wanted);
}

std::optional<std::size_t> last_needed(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted) {
  std::vector<Violation> found;
  add(found, parts.lead, keep_going);
  if (!parts.split || settles(parts.lead, found, keep_going, wanted)) return 0;
  for (std::size_t i = 0; i < parts.tasks.size(); ++i) {
    if (!parts.tasks[i]) return std::nullopt;
    add(found, *parts.tasks[i], keep_going);
    if (settles(*parts.tasks[i], found, keep_going, wanted)) return i;
  }
  return parts.tasks.size();
}

SearchResult combine(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted,
                     std::size_t goals) {
  SearchResult r;
  r.goals_met.assign(goals, false);
  std::vector<Violation> found;
  add(found, parts.lead, keep_going);
  add(r, parts.lead);
  bool finished = parts.lead.finished;
  bool exhaustive = parts.lead.exhaustive;
  r.stopped_by = parts.lead.stopped_by;
  if (parts.split && !settles(parts.lead, found, keep_going, wanted)) {
    // A shard has only some tasks: it combines those it ran.
    std::size_t last = last_needed(parts, keep_going, wanted).value_or(parts.tasks.size());
    for (std::size_t i = 0; i < parts.tasks.size() && i <= last; ++i) {
      if (!parts.tasks[i]) continue;
      const Part& task = *parts.tasks[i];
      add(found, task, keep_going);
      add(r, task);
      if (!settles(task, found, keep_going, wanted)) continue;
      finished = false;
      r.stopped_by = task.finished ? StopReason::violation : task.stopped_by;
      break;
    }
    exhaustive = finished;
  }
  for (const Violation& v : found) r.counterexamples.push_back({v, {}, {}});
  r.exhaustive = exhaustive;
  r.finished = finished || (keep_going && all_found(found, wanted));
  if (!r.counterexamples.empty()) r.verdict = Verdict::violation;
  else if (!finished) r.verdict = Verdict::inconclusive;
  else r.verdict = exhaustive ? Verdict::pass : Verdict::bounded;
  bool all_met = std::find(r.goals_met.begin(), r.goals_met.end(), false) == r.goals_met.end();
  if (r.verdict == Verdict::pass && !all_met) r.verdict = Verdict::vacuous;
  return r;
}

}  // namespace fsmc
