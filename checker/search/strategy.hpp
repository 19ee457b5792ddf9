// The one interface every search strategy implements (Shuttle's shape):
// given the runnable threads, who runs next; given a choice, which value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "rt/op.hpp"

namespace fsmc {

struct RunResult;
class Executor;

// What a strategy can tell about its own progress, for progress lines and
// the summary; -1 where it does not apply.
struct StrategyStats {
  int bound = -1;        // the preemption bound of the round that runs
  int64_t states = -1;   // distinct states stored, by a stateful search
  uint64_t memory = 0;   // bytes its visited set needs
  double explored = -1;  // an estimate of the fraction of its search done (Path::explored)
};

struct SchedulePoint {
  std::span<const ThreadId> enabled;  // ascending thread ids, never empty
  ThreadId current;                   // the thread that ran the last step, or no_thread
  uint32_t step;                      // steps taken so far in this execution
  uint32_t threads;                   // threads in the program
  const Executor* executor;           // for the pending operation of every thread
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Prepare the next execution; false when the search is over.
  virtual bool next_execution() = 0;
  // One of point.enabled, or no_thread to abandon this execution (a pruned branch).
  virtual ThreadId pick_thread(const SchedulePoint& point) = 0;
  virtual uint32_t pick_value(uint32_t choices) = 0;
  virtual void execution_done(const RunResult&) {}
  // True when finishing this strategy means every execution was covered.
  virtual bool exhaustive() const { return false; }
  // Whether it reads Executor::state_key (threads' histories are kept only then).
  virtual bool wants_state_keys() const { return false; }
  // After each step, before its invariants are checked and the threads it
  // enabled are found: where a strategy that keys states can start on the
  // key of the state the step led to.
  virtual void stepped() {}
  // After a step: true when the state it led to was reached, and checked, in
  // an earlier execution (a replayed prefix), so its invariants need no check.
  virtual bool seen_before() const { return false; }
  // Asked when pick_thread returned no_thread: the step after which this
  // path first reached the state it is in now. A state that comes back on
  // one path is a cycle: the execution can go on forever, which the
  // executor reports as a step_limit violation (a lasso).
  virtual std::optional<uint32_t> cycle_from() const { return std::nullopt; }
  virtual StrategyStats stats() const { return {}; }
  // StrategyStats::memory alone, asked before every execution: cheap.
  virtual uint64_t memory() const { return 0; }

  // Resuming from saved states (Executor, docs/engine.md "Restoring a
  // state"), for a depth-first strategy that walks one decision tree:
  // asked before an execution, the number of decisions it shares with the
  // last one (nullopt: start from the initial state) ...
  virtual std::optional<std::size_t> departs_at() const { return std::nullopt; }
  // ... told when the execution resumes from a state `depth` decisions
  // deep instead (its path continues from there) ...
  virtual void resumed_at(std::size_t /*depth*/) {}
  // ... and asked after each thread it picks: whether a later execution may
  // come back to this point (an option left here or at the choice right
  // after), so that it is worth saving.
  virtual bool worth_saving() const { return false; }
};

}  // namespace fsmc
