// The stateful exhaustive search on several workers (docs/engine.md,
// "Parallel search"). The tree is cut at a depth chosen from the program
// alone; each prefix at the cut is a task, searched below the cut by the
// stateful search. Workers take the tasks in order and share one visited
// table (shared_states.hpp). A shard takes its fixed share of the tasks.
//
// It only decides whether the phase finds a violation: which one a search
// finds first depends on which worker got where first, so the caller runs
// the serial search for the answer when it does (search.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "search/search.hpp"
#include "search/sleep_cache.hpp"

namespace fsmc {

// The cut is the smallest depth with at least this many tasks (or, where
// the tree ends, reaches max_cut_depth, or max_cut_paths paths reach the
// depth first, the depth that had the most tasks).
constexpr std::size_t wanted_tasks = 64;
constexpr std::size_t max_cut_depth = 64;
constexpr std::size_t max_cut_paths = 4 * wanted_tasks;

// The tasks of the phase: the states at the cut, in the serial search's order.
struct TreeCut {
  std::vector<SleepCache::Task> tasks;
  std::size_t depth = 0;
  bool violation = false;  // some state above the cut violates a checked invariant
  uint64_t executions = 0, steps = 0;
};
TreeCut cut_tasks(Executor& exec);

struct ParallelOutcome {
  enum class End { finished, violation, capped } end = End::finished;
  StopReason stopped_by = StopReason::none;
  SearchStats stats;                    // executions, steps, pruned, max depth; states of the shared table
  std::size_t tasks = 0;                // of the whole split (a shard runs some of them)
  uint32_t workers = 1;                 // threads that ran the tasks
  std::vector<std::string> reached;     // step ids every worker reached
  std::vector<bool> goals_met;
};

struct ParallelLimits {
  uint64_t executions_before = 0;  // counted against SearchConfig::max_executions
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();  // of the search, for progress
  // The serial search run before the split, if any: the tasks start with
  // the states it explored whole (SleepCache::share_explored).
  const SleepCache* serial_start = nullptr;
  // Set when the search's answer is known elsewhere (auto's rounds beside
  // it found a violation): the workers stop as if interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

// Runs the cut and then the tasks (SearchConfig::select's, or all) on
// SearchConfig::jobs workers, the first on `exec`; the others on executors
// of the same program with the same invariants checked.
ParallelOutcome search_parallel(Executor& exec, const SearchConfig& config, const ParallelLimits& limits);

}  // namespace fsmc
