// The search driver: runs executions under a strategy until it is done, a
// cap is hit, or (unless keep_going) the first violation; then re-runs each
// counterexample with tracing on to get its full history.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rt/executor.hpp"
#include "search/coverage.hpp"
#include "search/strategies.hpp"
#include "search/visited_states.hpp"

namespace fsmc {

// vacuous: an exhaustive search found nothing but missed a reach goal, so
// the racy window the scenario is about was never entered.
enum class Verdict { pass, bounded, violation, inconclusive, vacuous };
std::string_view to_string(Verdict verdict);

struct Progress {
  uint64_t executions;
  double seconds;
  StrategyKind phase;
  int bound;  // current preemption bound, or -1
  int64_t states = -1;  // states cached so far, when the phase is the stateful search
  double explored = -1;  // an estimate of the fraction of the phase done, when it walks one tree
};

// Which of the exhaustive phase's tasks to run (search/parallel.hpp): shard
// `shard` of `shards`, or the one task `task`.
struct TaskSelection {
  uint32_t shard = 0;
  uint32_t shards = 1;
  std::optional<uint32_t> task;
};

struct SearchConfig {
  StrategyKind strategy = StrategyKind::automatic;
  int preemptions = 2;              // bounded: the largest bound; auto: bounds 0..this first
  // auto: steps its bounded rounds may take before it moves on (then a tenth
  // of that of PCT sampling, then the proof). Counted, not timed, so that the
  // search stays deterministic; the corpus's rounds take at most ~200,000.
  uint64_t shallow_steps = 1'000'000;
  // auto: the stateful proof runs first on one core for this many steps (a
  // few hundredths of a second): a small program is proven without the
  // bounded rounds; one that does not finish goes on after them (with
  // jobs > 1, beside them: Driver::run_beside). A violation it finds is
  // set aside for the rounds.
  uint64_t trial_steps = 250'000;
  // With jobs > 1, the stateful proof runs on one core first for this many
  // steps (about a tenth of a second): a proof that ends within them is the
  // serial search's, counts included, and pays nothing for starting
  // workers; a longer one is split over the workers, which start with the
  // states it explored whole.
  uint64_t serial_steps = 1'000'000;
  uint64_t max_executions = 10'000'000;
  double seconds = 0;               // 0: no time cap
  uint64_t max_memory = 0;          // bytes the stateful search's visited set may grow to; 0: no cap
  uint64_t max_states = fsmc::max_states;  // states it may store (collision_odds)
  uint64_t seed = 1;
  uint32_t depth = 3;               // PCT
  std::vector<std::string> check;   // invariants to check; empty: all
  bool keep_going = false;          // search on until each checked invariant has a counterexample
  // Cache explored states (docs/engine.md, "State caching"): used by dfs and
  // by auto's exhaustive phase in place of dpor, when the program registered
  // Builder::state_hash; otherwise, and under dpor, the search runs without
  // it. On by default: it is the fastest proof the checker has.
  bool stateful = true;
  // Key states by what each thread's steps read instead of its locals hash
  // (Executor::observe_reads): a slower cross-check of a model's locals.
  bool observe_reads = false;
  // Run only this schedule (a trace's decisions): a counterexample pinned
  // for regression. Finding nothing along it is `bounded`, never `pass`.
  std::optional<std::vector<uint32_t>> schedule;
  // Goals some execution must reach for a pass to mean something (coverage.hpp).
  std::vector<ReachGoal> reach;
  // Workers of the stateful exhaustive search (search/parallel.hpp). The
  // verdict, the counterexamples and their order are those of jobs = 1.
  uint32_t jobs = 1;
  // Only these of its tasks (a shard's, or one): no verdict of pass alone,
  // the shards' results together make one (fsmc merge).
  std::optional<TaskSelection> select;
  std::function<void(const Progress&)> progress;  // called now and then during the search
  // Set from outside (a signal handler, another thread) to end the search
  // early: it stops at the next step and reports what it found so far.
  const std::atomic<bool>* interrupt = nullptr;
};

// Why a search ended before its strategy ran out (SearchResult::stopped_by).
enum class StopReason { none, violation, max_executions, seconds, memory, states, interrupt };
std::string_view to_string(StopReason reason);

struct Counterexample {
  Violation violation;
  std::vector<TraceStep> steps;  // the replayed history, ending at the violating step
  StateDump state;               // the model state at the violation
  bool replays = false;          // re-running its decisions reproduced it (else: an internal error)
};

struct SearchStats {
  uint64_t executions = 0;
  uint64_t steps = 0;
  uint32_t max_depth = 0;
  uint64_t pruned = 0;  // executions a reduction abandoned as redundant (sleep-set blocked, state seen)
  uint64_t states = 0;  // distinct states cached, when stateful
  double seconds = 0;
  int bound = -1;  // the last preemption bound searched, if any
};

struct SearchResult {
  Verdict verdict = Verdict::pass;
  bool exhaustive = false;  // every execution of the program was covered
  bool finished = false;    // no cap stopped the search (it ran out, or found every checked invariant)
  bool stateful = false;    // explored states were cached (SearchConfig::stateful took effect)
  StopReason stopped_by = StopReason::none;
  std::vector<Counterexample> counterexamples;
  SearchStats stats;
  std::vector<std::string> steps_reached;  // step ids performed, in the order first reached
  std::vector<bool> goals_met;             // per SearchConfig::reach goal
  std::size_t tasks = 0;                   // the exhaustive phase's tasks, when it was split
  bool serial_rerun = false;               // the split phase found a violation: the serial search found this one
  bool rounds_beside = false;              // auto ran its bounded rounds beside the proof, on a thread of their own
  // Workers that ran the split phase at once and shared its visited states:
  // with more than one, which of them explored a state first depends on
  // timing, so the counts of executions and states vary from run to run.
  uint32_t workers = 1;
  SearchStats before_split;                // the counts of the phases before the split one (a shard's share of them is all)
};

SearchResult search(Executor& executor, const SearchConfig& config);

// Runs `decisions` once with tracing, checking only `invariant` (plus the
// engine's own). The result tells whether it ended in that violation.
struct ReplayOutcome {
  RunResult run;
  bool diverged = false;   // a decision was impossible
  bool reproduced = false; // `invariant` was violated after exactly all decisions
};
ReplayOutcome replay(Executor& executor, const std::vector<uint32_t>& decisions, const std::string& invariant);

// Replays each counterexample with tracing on for its steps and state (the
// search does this itself; merge needs it for counterexamples it read).
void trace_counterexamples(Executor& executor, std::vector<Counterexample>& counterexamples);

// The tasks the exhaustive phase of this search splits into, as decisions
// (none when it is not the stateful search), for launchers that balance
// themselves and for `--task`.
std::vector<std::vector<uint32_t>> task_list(Executor& executor, const SearchConfig& config);

}  // namespace fsmc
