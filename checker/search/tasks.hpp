// The exhaustive search split into tasks (docs/engine.md, "Tasks"): the
// stateful search's tree cut at a depth chosen from the program alone, each
// prefix at the cut a task searched on its own, with its own visited set.
// The search's answer is defined as that of the tasks run one after another
// in index order, stopping after the first that settles it; workers
// (SearchConfig::jobs) and shards (SearchConfig::select) compute the same
// answer from the same per-task outcomes, whichever ran them and when.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "search/search.hpp"

namespace fsmc {

// The cut is the smallest depth with at least this many tasks (or the
// depth where the tree ends, or max_cut_depth).
constexpr std::size_t wanted_tasks = 64;
constexpr std::size_t max_cut_depth = 64;

// What one part of a search found: the phases before the tasks (the lead),
// or one task. Seconds are not kept: a part's outcome is a pure function of
// the program and the settings, unless a cap or an interrupt stopped it.
struct Part {
  SearchStats stats;
  std::vector<Violation> violations;  // in the order found (keep_going: one per invariant)
  bool finished = false;              // ran to its end: neither a cap nor a violation stopped it
  bool exhaustive = false;            // the lead: its last phase covered every execution
  bool stateful = false;
  StopReason stopped_by = StopReason::none;
  std::vector<std::string> reached;   // step ids, in the order first reached
  std::vector<bool> goals_met;
};

// A search as parts: the lead, then (when the lead ends in a split) each
// task's outcome by index; nullopt for a task not run.
struct Parts {
  Part lead;
  bool split = false;  // the lead ended by cutting the tree into tasks
  std::size_t depth = 0;
  std::vector<std::optional<Part>> tasks;
};

// The shards' fixed share of the tasks: task i belongs to shard i mod N.
inline bool in_shard(uint32_t task, const TaskSelection& s) {
  return s.task ? task == *s.task : task % s.shards == s.shard;
}

// The lead alone settles the search (a violation or a cap stopped it): no task runs.
bool lead_settles(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted);

// The index of the last task the serial search runs (tasks.size() when it
// runs them all), or nullopt when a task it needs is missing.
// `wanted`: the invariants whose counterexamples keep_going waits for.
std::optional<std::size_t> last_needed(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted);

// The whole search's result from its parts, as the serial search has it
// (counterexamples not yet traced) — when every task up to last_needed() is
// there; a shard's parts combine into what its own tasks found.
SearchResult combine(const Parts& parts, bool keep_going, const std::vector<std::string>& wanted,
                     std::size_t goals);

}  // namespace fsmc
