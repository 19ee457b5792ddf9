// Stateful depth-first search with sleep sets (Godefroid, "Partial-Order
// Methods for the Verification of Concurrent Systems", LNCS 1032, ch. 5):
// an execution stops at a state explored before, and a thread asleep at a
// state is not taken there.
//
// Sleep sets prune transitions, never states: every reachable state is still
// visited, so per-step invariants need no coupling (InvariantCoupling), and
// every deadlock and final state is seen. With a cache, a state met again
// with a sleep set Z after it was explored with sleep set Zs must still take
// the threads in Zs \ Z — they were skipped the first time only because that
// path covered them — and from then on counts as explored with Zs ∩ Z.
// docs/engine.md has the argument; tests/checker/caching_test.cpp checks
// it against plain DFS.
//
// A state is Executor::state_key() (64 bits). A state met again on the path
// that leads to it closes a cycle: reported (Strategy::cycle_from), not pruned.
// With identical threads the key is that of the state renamed into a
// canonical order (Executor::order), and so are the sleep sets the table
// keeps: a state met as a renaming of one explored before takes, renamed
// back, what the first one left. Its subtree is the renaming of the first
// one's, so nothing is lost; and coming back to a renaming of a state on
// the path is a cycle too: repeating the steps in between renames the state
// again each time, and some power of a renaming is none.
//
// Splitting the search into tasks (search/parallel.hpp) uses two more modes:
// - cutting at a depth: the same search without the cache (sleep sets only,
//   nothing pruned by a state seen before), each execution abandoned at the
//   first scheduling point at least `depth` decisions deep, whose path
//   prefix it keeps — one task per such state that has a thread to take.
//   Paths that meet at one state (or at renamings of one) make one task:
//   the first path's, its root's sleep set narrowed to what every one of
//   them slept through there. A smaller sleep set only takes more, and the
//   state's subtree is the same whichever path led to it, so the one task
//   covers what each path's would have; tasks with tables of their own
//   (shards) no longer explore one subtree twice from the same root;
// - below a prefix: the search of one task, its cache shared with the
//   other tasks' searches, which other workers may run at the same time
//   (shared_states.hpp). A state another worker is still exploring is
//   explored again rather than pruned, taking its threads highest first:
//   the other worker takes them lowest first, so the two meet in the
//   middle and each prunes what the other has done (sleep sets hold for
//   any order). Coming back to a state of the path, the prefix included,
//   is a cycle as ever.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "search/shared_states.hpp"
#include "search/sleep.hpp"
#include "search/strategy.hpp"
#include "search/visited_states.hpp"

namespace fsmc {

class SleepCache : public Strategy {
  struct State {
    uint64_t key = 0;   // a thread branch's state
    uint32_t step = 0;  // ... and the steps taken to reach it
  };

 public:
  using Prefix = std::vector<Path<State>::Branch>;
  // A subtree of the search: the path to its root, and the sleep set to
  // take there (of the root renamed, as the table keeps them).
  struct Task {
    Prefix prefix;
    ThreadMask root_sleep = 0;
  };
  explicit SleepCache(const Executor& exec);
  // Cutting at `depth` (> 0): tasks() are the tasks once it is done.
  struct Cut {
    std::size_t depth;
  };
  SleepCache(const Executor& exec, Cut cut);
  // The search of the subtree below a task (one of a cut's tasks()).
  SleepCache(const Executor& exec, Task task, SharedStates& shared);
  const std::vector<Task>& tasks() const { return tasks_; }
  // Cutting: the paths that reached the cut with a thread to take (several may share a task).
  std::size_t paths_cut() const { return paths_cut_; }
  // Between executions of the serial search: every state it has explored
  // whole (all but those on its path), for the tasks of the same search
  // not to explore again.
  void share_explored(SharedStates& into) const;
  // The decisions of a prefix, as a trace lists them.
  static std::vector<uint32_t> decisions(const Prefix& prefix);

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  void execution_done(const RunResult& result) override;
  bool exhaustive() const override { return done_; }
  bool wants_state_keys() const override { return true; }
  void stepped() override;
  bool seen_before() const override { return replaying_; }
  std::optional<uint32_t> cycle_from() const override { return cycle_from_; }
  std::optional<std::size_t> departs_at() const override { return departs_at_; }
  void resumed_at(std::size_t depth) override { path_.resume_at(depth); }
  bool worth_saving() const override { return worth_saving_; }

  // A task's search reports no states or memory: its table is everyone's.
  StrategyStats stats() const override {
    if (shared_) return {.explored = path_.explored()};
    return {.states = static_cast<int64_t>(visited_.size()), .memory = memory(), .explored = path_.explored()};
  }
  uint64_t memory() const override { return shared_ ? 0 : visited_.bytes_needed(); }

 private:
  using Branch = Path<State>::Branch;
  // Thread `t` is about to run its announced step from `at`.
  void take(const Branch& at, ThreadId t);
  // The step taken last has run: wake the sleepers it turned out to touch.
  void after_step();
  // The threads to take at a state met with sleep set sleep_, or nullopt
  // for a cycle; `all`: the program's threads (a table keeps the sleep sets
  // of the first threads only, the others as asleep).
  std::optional<ThreadMask> todo(uint64_t key, ThreadMask enabled, ThreadMask all);
  std::optional<ThreadMask> shared_todo(uint64_t key, ThreadMask enabled, ThreadMask all);
  bool on_path(uint64_t key, std::size_t depth);
  // Before backtracking: the states whose branches are all taken are done.
  void mark_done();

  const Executor& exec_;
  InvariantCoupling independence_;
  PendingFootprints pending_{exec_, independence_};
  VisitedTable visited_{serial_layout};  // state key -> the sleep set it was explored with
  Path<State> path_;
  std::optional<uint64_t> key_;    // the state key of the scheduling point to come, when stepped() made it
  ThreadMask sleep_ = 0;           // sleep set for the next new scheduling node
  ThreadId ran_ = no_thread;       // the thread whose step runs now
  Footprint ran_footprint_;        // ... and that step's footprint, as announced
  bool replaying_ = false;        // the step just picked leads to a state on the recorded path
  bool downward_ = false;         // a task's search: this state is one another worker is still exploring
  std::optional<uint32_t> cycle_from_;  // the last execution closed a cycle (Strategy::cycle_from)
  bool started_ = false;
  std::optional<std::size_t> departs_at_;  // the branch the path turns at (none on the first execution)
  bool worth_saving_ = false;              // the point just picked at has options left
  bool done_ = false;
  std::size_t cut_ = 0;          // cutting: the depth of the tasks' roots (0: not cutting)
  std::vector<Task> tasks_;        // cutting: the tasks found so far, in the search's order
  std::unordered_map<uint64_t, uint32_t> roots_;  // cutting: a task's root state key -> its index in tasks_
  std::size_t paths_cut_ = 0;
  ThreadMask root_sleep_ = 0;      // a task's search: Task::root_sleep
  SharedStates* shared_ = nullptr;  // a task's search: the table of every task's
  std::size_t fixed_ = 0;            // a task's search: the prefix's branches
};

}  // namespace fsmc
