// Identical threads (Builder::symmetric): the stateful search keys a state
// and its renamings as one, with exact counts on small programs, and reaches
// what plain DFS reaches up to which identical thread did what — on random
// programs, serial and split into tasks.
#include <doctest/doctest.h>

#include <memory>
#include <set>

#include "programs.hpp"
#include "random_program.hpp"
#include "search/dfs.hpp"
#include "search/parallel.hpp"
#include "search/sleep_cache.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

ThreadOrder identity() {
  ThreadOrder o;
  for (ThreadId t = 0; t < max_threads; ++t) o[t] = t;
  return o;
}

// Two threads with the same code, each writing data of its own into one
// cell `k` times (forever when k is negative, its count then not kept):
// the cell holds 0 or 1 + the thread that wrote it last.
Program own_data_in_one_cell(int k) {
  return [k](Builder& b) {
    int& cell = b.make<int>(0);
    b.restorable();
    ObjectId x = b.object("x");
    for (ThreadId t = 0; t < 2; ++t)
      b.thread("t" + std::to_string(t), [&cell, x, k, t](Thread& th) {
        for (int i = 0; k < 0 || i < k; ++i) {
          th.set_locals_hash(k < 0 ? 0 : static_cast<uint64_t>(i));
          write(th, x, "write");
          cell = static_cast<int>(1 + t);
        }
      });
    auto value = [&cell](ObjectId, const ThreadOrder& order) -> uint64_t {
      return cell == 0 ? 0 : 1 + order[static_cast<ThreadId>(cell - 1)];
    };
    b.object_state([value](ObjectId o) { return value(o, identity()); });
    b.symmetric({{0, 1}}, [&cell](ThreadId t) { return static_cast<uint64_t>(cell == static_cast<int>(1 + t)); },
                value);
  };
}

uint64_t states(const Program& p, bool symmetry) {
  Executor e(p, {.symmetry = symmetry});
  SearchConfig c = with(StrategyKind::dfs);
  c.stateful = true;
  SearchResult r = search(e, c);
  CHECK(r.verdict == Verdict::pass);
  CHECK(r.exhaustive);
  return r.stats.states;
}

void run_all(Executor& e, Strategy& s) {
  while (s.next_execution()) e.run(s, {.tracing = false, .keep_going = true});
}

}  // namespace

TEST_CASE("symmetry: a cycle closed up to renaming says so, and replays") {
  Program p = own_data_in_one_cell(-1);
  for (bool symmetry : {true, false}) {
    CAPTURE(symmetry);
    Executor e(p, {.symmetry = symmetry});
    SearchConfig c = with(StrategyKind::dfs);
    c.stateful = true;
    SearchResult r = search(e, c);
    REQUIRE(r.verdict == Verdict::violation);
    const Counterexample& x = r.counterexamples[0];
    CHECK(x.violation.invariant == step_limit);
    std::string says = "the state after step 2 is the state after step 1";
    if (symmetry) says += ", up to which of the identical threads is which";
    CHECK(x.violation.message == says + ": the steps in between can repeat forever");
    CHECK(x.replays);
  }
}

TEST_CASE("symmetry: two identical threads writing their own data into one cell, counted exactly") {
  // The states where a thread is to move: (i, j, cell) with i and j the
  // writes done (not both k) and the cell empty, or holding the data of a
  // thread that wrote. k = 1: (0,0,-), (1,0,t0), (0,1,t1); the last two are
  // renamings of each other. k = 2: 11 states; renamed into 6 — (1,1,t0)
  // and (1,1,t1) only by where each thread's data is, their places and
  // locals being equal.
  CHECK(states(own_data_in_one_cell(1), false) == 3);
  CHECK(states(own_data_in_one_cell(1), true) == 2);
  CHECK(states(own_data_in_one_cell(2), false) == 11);
  CHECK(states(own_data_in_one_cell(2), true) == 6);
}

TEST_CASE("symmetry: on random programs with identical threads, the stateful search reaches plain DFS's states up to renaming") {
  uint64_t keyed_apart = 0, keyed_together = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    RandomProgram p = symmetric_program(seed);
    // Every renamed state reachable, as plain DFS meets them, against those the stateful search keeps.
    std::set<uint64_t> all, kept;
    Executor e(build(p, nullptr, nullptr, true, true));
    Dfs dfs;
    Keys a(dfs, e, all);
    run_all(e, a);
    SleepCache cached(e);
    Keys b(cached, e, kept);
    run_all(e, b);
    CHECK(kept == all);
    CHECK(cached.stats().states == static_cast<int64_t>(all.size()));
    // What a search sees, against plain DFS's up to which identical thread did what.
    Observed plain = observe(p, [](Executor&) { return std::make_unique<Dfs>(); }, true, true);
    Observed reduced = observe(p, [](Executor& x) { return std::make_unique<SleepCache>(x); }, true, true);
    Observed apart = observe(p, [](Executor& x) { return std::make_unique<SleepCache>(x); }, true, true, false);
    plain = up_to_identical(p, plain);
    reduced = up_to_identical(p, reduced);
    CHECK(reduced.violated == plain.violated);
    CHECK(reduced.finals == plain.finals);
    CHECK(reduced.deadlocks == plain.deadlocks);
    CHECK(reduced.watched == plain.watched);
    CHECK(reduced.executions <= apart.executions);
    keyed_apart += apart.executions;
    keyed_together += reduced.executions;
  }
  CHECK(keyed_together < keyed_apart);
  MESSAGE("60 random programs with identical threads: ", keyed_apart, " executions keyed apart, ", keyed_together,
          " with identical threads keyed together");
}

TEST_CASE("symmetry: split into tasks, the search meets exactly the serial search's renamed states") {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    Program program = build(symmetric_program(seed), nullptr, nullptr, true, true);
    Executor e(program);
    std::set<uint64_t> serial, split;
    SleepCache whole(e);
    Keys a(whole, e, serial);
    run_all(e, a);
    SleepCache cut(e, SleepCache::Cut{cut_tasks(e).depth});
    Keys b(cut, e, split);
    run_all(e, b);
    for (const SleepCache::Task& prefix : cut.tasks()) {
      SharedStates own;  // each task with a table of its own: together they must cover every state
      SleepCache task(e, prefix, own);
      Keys t(task, e, split);
      run_all(e, t);
    }
    CHECK(split == serial);
  }
}
