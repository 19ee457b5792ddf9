// Source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014)
// over the engine's visible operations. Explores at least one execution of
// every Mazurkiewicz trace of the program, so every reachable deadlock,
// final state and (with InvariantCoupling) per-step violation is seen.
//
// Stateless: like Dfs, every execution replays a recorded prefix. Each new
// event is checked for races with earlier events; a race (e, e') adds to the
// backtrack set of the state before e a thread that starts the reversed order.
// Choose values are branched on in full, never reduced.
//
// Footprints are what each step announced, not what it turned out to touch:
// a footprint that depends on what the step itself reads makes dependence
// depend on the state, and source sets then miss traces (docs/engine.md).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "search/sleep.hpp"
#include "search/strategy.hpp"

namespace fsmc {

class Dpor : public Strategy {
 public:
  explicit Dpor(const Executor& exec);

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  void execution_done(const RunResult& result) override;
  bool exhaustive() const override { return done_; }
  StrategyStats stats() const override { return {.explored = path_.explored()}; }

 private:
  using Mask = ThreadMask;
  using Clock = std::array<uint32_t, max_threads>;

  // Beside each branch of the path: the threads enabled there and its
  // backtrack set (the branch's todo is what of it is enabled, not asleep
  // and not yet taken), and the index of the event taken there.
  struct Backtrack {
    Mask enabled = 0;
    Mask backtrack = 0;
    uint32_t event = 0;
  };
  using Branch = Path<Backtrack>::Branch;
  static void add_backtrack(Branch& b, Mask threads);
  struct Event {
    ThreadId thread;
    uint32_t node;           // the scheduling node that chose it
    uint32_t local;          // 1-based position among its thread's events
    uint32_t pending_since;  // first node at which this op was its thread's next
    Footprint footprint;
    Clock clock;             // happens-before: events of each thread it follows
  };

  // A step chosen at `node` whose footprint is known once it has run.
  void choose(ThreadId t, uint32_t node);
  void add_events(uint32_t performed);
  void add_event(ThreadId t, uint32_t node, uint32_t pending_since, const Op& performed);
  // Appends the event and returns the earlier events it races with.
  const std::vector<uint32_t>& append_event(ThreadId t, uint32_t node, uint32_t pending_since, const Op& performed);
  void add_blocked(ThreadId t);
  void after_step(const SchedulePoint& point);
  void on_race(std::size_t e, std::size_t new_event);
  bool after(const Event& later, const Event& earlier) const {
    return later.clock[earlier.thread] >= earlier.local;
  }

  const Executor& exec_;
  uint32_t threads_;  // clock entries in use: the program's threads
  InvariantCoupling coupling_;
  PendingFootprints pending_{exec_, coupling_};
  Path<Backtrack> path_;
  std::vector<Event> events_;
  Mask sleep_ = 0;                // sleep set for the next new scheduling node
  std::array<uint32_t, max_threads> last_event_{};   // per thread: 1 + index of its last event, or 0
  std::array<uint32_t, max_threads> pending_since_{};
  struct Chosen {
    ThreadId thread;
    uint32_t node;
    uint32_t pending_since;
    Op announced;
  };
  std::vector<Chosen> unprocessed_;  // chosen, not yet analysed
  std::vector<uint32_t> races_;      // append_event's answer, kept to reuse its memory
  Mask enabled_when_abandoned_ = 0;  // valid when this execution was abandoned
  bool abandoned_ = false;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace fsmc
