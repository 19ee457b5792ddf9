// Resuming executions from saved states (Executor::save / restore) must be
// invisible: the stateful search, plain DFS and the preemption-bounded
// rounds run exactly the executions they run when every execution starts
// from the initial state and replays its path —
// same ends, steps, preemptions, decisions, violations, final states and
// pending steps, same states cached — on programs with locks, rwsems,
// choices, waits and thread locals kept on the fibers' stacks.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "random_program.hpp"
#include "search/dfs.hpp"
#include "search/sleep_cache.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

struct Run {
  RunResult::End end;
  uint32_t steps, preemptions;
  std::vector<uint32_t> decisions;
  std::vector<std::string> violated;
  std::vector<int> state;
  std::vector<OpKind> pending;
  bool operator==(const Run&) const = default;
};

struct Search {
  std::vector<Run> runs;
  int64_t states = 0;
  uint64_t resumed = 0;
};

template <class Strategy>
Search search(const RandomProgram& p, ExecutorOptions options) {
  auto last = std::make_shared<RandomState*>(nullptr);
  Executor e(build(p, last, nullptr, true), options);
  Strategy strategy = [&] {
    if constexpr (std::is_same_v<Strategy, SleepCache>) return SleepCache(e);
    else if constexpr (std::is_same_v<Strategy, IterativeBounding>) return IterativeBounding(2);
    else return Dfs();
  }();
  Search out;
  while (strategy.next_execution()) {
    const RunResult& r = e.run(strategy, {.keep_going = true});
    Run run{r.end, r.steps, r.preemptions, r.decisions, {}, (*last)->snapshot(), {}};
    for (const Violation& v : r.violations) run.violated.push_back(v.invariant);
    for (ThreadId t = 0; t < p.threads.size(); ++t) run.pending.push_back(e.pending(t).kind);
    out.runs.push_back(std::move(run));
  }
  e.check_only(e.invariant_names());
  out.states = strategy.stats().states;
  out.resumed = e.resumed();
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("restore: a search resumes from saved states and runs exactly the executions it replays", S,
                   SleepCache, Dfs, IterativeBounding) {
  uint64_t executions = 0, resumed = 0, resumed_capped = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    RandomProgram p = random_program(seed);
    Search replayed = search<S>(p, {.restore = false});
    Search restored = search<S>(p, {});
    // Hardly any room for saved stacks: only the first state is saved, and
    // every execution resumes from it and replays the rest of its path.
    Search capped = search<S>(p, {.restore_bytes = 1});
    REQUIRE(restored.runs.size() == replayed.runs.size());
    REQUIRE(capped.runs.size() == replayed.runs.size());
    for (std::size_t i = 0; i < replayed.runs.size(); ++i) {
      CAPTURE(i);
      CHECK(restored.runs[i] == replayed.runs[i]);
      CHECK(capped.runs[i] == replayed.runs[i]);
    }
    CHECK(restored.states == replayed.states);
    CHECK(capped.states == replayed.states);
    CHECK(replayed.resumed == 0);
    executions += replayed.runs.size();
    resumed += restored.resumed;
    resumed_capped += capped.resumed;
  }
  // Most executions resume: all but a program's first for the one-tree
  // searches, all but each round's first for the bounded rounds.
  CHECK(resumed > executions / 2);
  CHECK(resumed_capped == resumed);
  MESSAGE("300 random programs: ", executions, " executions, ", resumed, " resumed; with a 1-byte cap ",
          resumed_capped);
}

TEST_CASE("restore: a program that did not opt in, or whose state cannot be copied, is replayed") {
  auto body = [](bool opt_in, bool copyable) {
    return [opt_in, copyable](Builder& b) {
      if (copyable) b.make<int>(0);
      else b.make<std::unique_ptr<int>>();
      if (opt_in) b.restorable();
      ObjectId x = b.object("x");
      for (int t = 0; t < 2; ++t)
        b.thread("t" + std::to_string(t), [x](Thread& th) {
          write(th, x, "a");
          write(th, x, "b");
        });
      b.state_hash([] { return uint64_t{0}; });
    };
  };
  struct Case {
    bool opt_in, copyable, resumes;
  };
  for (Case c : {Case{true, true, true}, Case{false, true, false}, Case{true, false, false}}) {
    CAPTURE(c.opt_in);
    CAPTURE(c.copyable);
    Executor e(body(c.opt_in, c.copyable));
    SleepCache s(e);
    uint64_t n = 0;
    while (s.next_execution()) {
      e.run(s, {});
      ++n;
    }
    CHECK(n > 1);
    CHECK((e.resumed() > 0) == c.resumes);
  }
}

TEST_CASE("restore: a stateful search paused while another search runs goes on exactly as if it had not been") {
  uint64_t compared = 0;
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    RandomProgram p = random_program(seed);
    auto last = std::make_shared<RandomState*>(nullptr);
    Search whole = search<SleepCache>(p, {});
    Executor e(build(p, last, nullptr, true));
    SleepCache paused(e);
    IterativeBounding other(1);  // saves states of its own at the same depths
    std::vector<Run> runs;
    auto run = [&](Strategy& s) {
      const RunResult& r = e.run(s, {.keep_going = true});
      Run out{r.end, r.steps, r.preemptions, r.decisions, {}, (*last)->snapshot(), {}};
      for (const Violation& v : r.violations) out.violated.push_back(v.invariant);
      for (ThreadId t = 0; t < p.threads.size(); ++t) out.pending.push_back(e.pending(t).kind);
      return out;
    };
    std::size_t pause_at = whole.runs.size() / 2;
    while (runs.size() < pause_at && paused.next_execution()) runs.push_back(run(paused));
    uint64_t unchecked = e.unchecked();
    for (int i = 0; i < 20 && other.next_execution(); ++i) run(other);
    e.set_unchecked(unchecked);  // what the other search violated is still to report
    e.forget_saved_states();
    while (paused.next_execution()) runs.push_back(run(paused));
    REQUIRE(runs.size() == whole.runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
      CAPTURE(i);
      CHECK(runs[i] == whole.runs[i]);
    }
    compared += runs.size() - pause_at;
  }
  MESSAGE("100 random programs: ", compared, " executions after the pause");
}
