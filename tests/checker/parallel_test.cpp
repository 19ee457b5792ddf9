// The stateful search split into tasks and run by workers (search/parallel.hpp):
// the tasks cover exactly the states of the serial search, and the answer —
// verdict, counterexamples and their decisions — is the serial one for any
// number of workers and any shards.
#include <doctest/doctest.h>

#include <memory>
#include <set>

#include "programs.hpp"
#include "random_program.hpp"
#include "search/parallel.hpp"
#include "search/sleep_cache.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

void run_all(Executor& e, Strategy& s) {
  while (s.next_execution()) e.run(s, {.tracing = false, .keep_going = true});
}

// The states the serial stateful search meets, and those the cut and its
// tasks meet, each task with a table of its own.
std::pair<std::set<uint64_t>, std::set<uint64_t>> serial_and_split(const Program& p, std::size_t* tasks = nullptr) {
  Executor e(p);
  std::set<uint64_t> serial, split;
  SleepCache whole(e);
  Keys a(whole, e, serial);
  run_all(e, a);
  std::size_t depth = cut_tasks(e).depth;
  SleepCache cut(e, SleepCache::Cut{depth});
  Keys b(cut, e, split);
  run_all(e, b);
  for (const SleepCache::Task& prefix : cut.tasks()) {
    SharedStates own;
    SleepCache task(e, prefix, own);
    Keys t(task, e, split);
    run_all(e, t);
  }
  if (tasks) *tasks = cut.tasks().size();
  return {serial, split};
}

// `threads` threads each stepping `steps` times on a cell of its own: every
// order of the steps meets in the same states, as the grid's do. With
// `one_object`, every step declares the same object, so that no order is
// pruned as independent and every state is met by many paths.
Program own_cells(int threads, int steps, bool one_object = false) {
  return [threads, steps, one_object](Builder& b) {
    auto& cells = b.make<std::vector<int>>(threads, 0);
    ObjectId shared = b.object("x");
    for (int t = 0; t < threads; ++t) {
      ObjectId own = one_object ? shared : b.object("x" + std::to_string(t));
      b.thread("t" + std::to_string(t), [&cells, own, t, steps](Thread& th) {
        for (int i = 0; i < steps; ++i) {
          th.set_locals_hash(static_cast<uint64_t>(i));
          write(th, own, "step");
          ++cells[t];
        }
      });
    }
    b.state_hash([&cells] {
      uint64_t h = 0;
      for (int c : cells) h = h * 1000 + static_cast<uint64_t>(c);
      return h;
    });
  };
}

// Without `last` and `seen`, which several workers would write at once.
Program random(uint32_t seed) { return build(random_program(seed), nullptr, nullptr, true); }

struct Answer {
  Verdict verdict;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> found;
  bool operator==(const Answer&) const = default;
};

Answer answer(const Program& p, SearchConfig c) {
  Executor e(p);
  SearchResult r = search(e, c);
  Answer a{r.verdict, {}};
  for (const Counterexample& x : r.counterexamples) a.found.push_back({x.violation.invariant, x.violation.decisions});
  return a;
}

SearchConfig with_jobs(SearchConfig c, uint32_t jobs) {
  c.jobs = jobs;
  return c;
}

}  // namespace

TEST_CASE("parallel: the tasks meet exactly the states of the serial search (two threads' own cells)") {
  // (k+1)^2 states with a thread at a scheduling point: every grid point but the final one.
  Program p = own_cells(2, 6);
  std::size_t tasks = 0;
  auto [serial, split] = serial_and_split(p, &tasks);
  CHECK(tasks > 1);
  CHECK(serial.size() == 48);
  CHECK(split == serial);
}

TEST_CASE("parallel: paths of the cut that meet at one state make one task, which covers what each path's would") {
  // Three threads stepping three times on one object: no order is pruned
  // as independent, so the 27 paths three decisions deep end in the 10
  // states (a, b, c) with a + b + c = 3 — one task each.
  Program p = own_cells(3, 3, true);
  Executor e(p);
  SleepCache cut(e, SleepCache::Cut{3});
  run_all(e, cut);
  CHECK(cut.tasks().size() == 10);
  uint32_t paths = 0;
  SleepCache stateless_cut(e, SleepCache::Cut{3});
  while (stateless_cut.next_execution()) paths += e.run(stateless_cut, {}).end == RunResult::End::pruned;
  CHECK(paths == 27);
  // Each task with a table of its own, as shards have: together they meet every state.
  auto [serial, split] = serial_and_split(p);
  CHECK(split == serial);
}

TEST_CASE("parallel: on 200 random programs the tasks meet exactly the serial search's states") {
  std::size_t states = 0, split_programs = 0;
  for (uint32_t seed = 0; seed < 200; ++seed) {
    CAPTURE(seed);
    std::size_t tasks = 0;
    auto [serial, split] = serial_and_split(random(seed), &tasks);
    CHECK(split == serial);
    states += serial.size();
    split_programs += tasks > 1;
  }
  CHECK(split_programs > 130);  // the test splits most programs, or it tests nothing
  MESSAGE("200 random programs: ", states, " states, the same with and without the split; ", split_programs,
          " split into several tasks");
}

TEST_CASE("parallel: 1, 2 and 4 workers and every shard of 3 give the serial answer on random programs") {
  int violations = 0;
  for (uint32_t seed = 0; seed < 40; ++seed) {
    CAPTURE(seed);
    Program p = random(seed);
    for (bool keep_going : {false, true}) {
      SearchConfig c = with(StrategyKind::dfs);
      c.stateful = true;
      c.keep_going = keep_going;
      Answer serial = answer(p, c);
      violations += serial.verdict == Verdict::violation;
      for (uint32_t jobs : {2u, 4u})
        // Split at once; after a serial start of 50 steps, whose states the workers start with; only if long.
        for (uint64_t serial_steps : {uint64_t{0}, uint64_t{50}, c.serial_steps}) {
          c.jobs = jobs;
          c.serial_steps = serial_steps;
          CHECK(answer(p, c) == serial);
        }
      c.jobs = 1;
      for (uint32_t shard = 0; shard < 3; ++shard) {
        c.select = TaskSelection{shard, 3, std::nullopt};
        Answer part = answer(p, c);
        // A shard finds the serial violation or, when its tasks hold none, none.
        if (serial.verdict == Verdict::pass) CHECK(part.verdict == Verdict::pass);
        if (part.verdict == Verdict::violation) CHECK(part == serial);
      }
    }
  }
  CHECK(violations > 12);  // some programs violate their invariant, so the serial rerun is tested
}

TEST_CASE("parallel: auto's bounded rounds beside the proof give the answer of running them before it") {
  // A trial of 20 steps leaves most programs to the rounds and the proof,
  // which several workers run side by side; a violation the rounds find is
  // the answer, counted as on one core, and so is the rounds' coverage.
  int by_rounds = 0, by_proof = 0, passes = 0;
  for (uint32_t seed = 0; seed < 160; ++seed) {
    CAPTURE(seed);
    Program p = random(seed / 2);
    SearchConfig c = with(StrategyKind::automatic);
    c.stateful = true;
    c.trial_steps = 20;
    // Rounds of one execution leave most violations to the proof.
    if (seed % 2) c.shallow_steps = 1;
    Executor e1(p);
    SearchResult one = search(e1, c);
    for (uint64_t serial_steps : {uint64_t{0}, c.serial_steps}) {
      c.jobs = 2;
      c.serial_steps = serial_steps;
      Executor e2(p);
      SearchResult two = search(e2, c);
      CHECK(answer(p, c) == answer(p, with_jobs(c, 1)));
      if (!two.rounds_beside) continue;
      std::set<std::string> reached1(one.steps_reached.begin(), one.steps_reached.end());
      std::set<std::string> reached2(two.steps_reached.begin(), two.steps_reached.end());
      CHECK(reached1 == reached2);
      CHECK(two.verdict == one.verdict);
      CHECK(two.stats.bound == one.stats.bound);
      if (one.verdict == Verdict::violation && !one.stateful) {  // the rounds' violation: the proof's work is not counted
        ++by_rounds;
        CHECK(two.stats.executions == one.stats.executions);
        CHECK(!two.stateful);
      }
      by_proof += one.verdict == Verdict::violation && one.stateful;
      passes += one.verdict == Verdict::pass;
    }
  }
  // Every case is met, or the test tests nothing.
  CHECK(by_rounds > 5);
  CHECK(by_proof > 5);
  CHECK(passes > 5);
  MESSAGE("rounds beside the proof: ", by_rounds, " violations the rounds found, ", by_proof, " the proof found, ",
          passes, " passes");
}

TEST_CASE("parallel: a proof that ends within serial_steps on one core is the serial search, counts included") {
  Program p = random(7);
  SearchConfig c = with(StrategyKind::dfs);
  c.stateful = true;
  c.check = {"watch"};
  Executor e(p);
  SearchResult serial = search(e, c);
  REQUIRE(serial.verdict == Verdict::pass);
  c.jobs = 2;
  SearchResult two = search(e, c);
  CHECK(two.tasks == 0);
  CHECK(two.stats.executions == serial.stats.executions);
  CHECK(two.stats.states == serial.stats.states);
  c.serial_steps = 1;  // spent after the first execution: started again, split
  SearchResult split = search(e, c);
  CHECK(split.tasks > 1);
  CHECK(split.verdict == Verdict::pass);
  CHECK(split.stats.executions > serial.stats.executions);  // the trial's executions, then the split's
}

TEST_CASE("parallel: the workers' shared table stops at max_states as the serial search does") {
  // Split however small the proof: the table's size is then the same for
  // any workers and timing (the test below), so the cap is exact.
  Program p = random(7);
  SearchConfig c = with(StrategyKind::dfs);
  c.stateful = true;
  c.check = {"watch"};
  c.serial_steps = 0;
  c.jobs = 2;
  Executor e(p);
  SearchResult all = search(e, c);
  REQUIRE(all.verdict == Verdict::pass);
  REQUIRE(all.tasks > 1);
  c.max_states = all.stats.states;
  SearchResult room = search(e, c);
  CHECK(room.verdict == Verdict::pass);
  CHECK(room.exhaustive);
  CHECK(room.stats.states == all.stats.states);
  c.max_states = all.stats.states - 1;
  SearchResult capped = search(e, c);
  CHECK(capped.verdict == Verdict::inconclusive);
  CHECK_FALSE(capped.exhaustive);
  CHECK(capped.stopped_by == StopReason::states);
}

TEST_CASE("parallel: workers that start with the serial start's states skip what it explored, and meet the rest") {
  // One worker, so that the counts are exact: the tasks after a serial
  // start of some executions run fewer executions than the tasks alone,
  // and their table (what the serial start explored whole, and what the
  // tasks met) holds every state below the cut. Random programs with
  // identical threads keyed as one: the sleep sets handed over are renamed.
  int fewer = 0, compared = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    Executor e(build(symmetric_program(seed), nullptr, nullptr, true, true));
    e.check_only({"watch"});  // never violated: only a deadlock ends the search early
    SearchConfig c = with(StrategyKind::dfs);
    c.stateful = true;
    ParallelOutcome alone = search_parallel(e, c, {});
    if (alone.end != ParallelOutcome::End::finished) continue;
    ++compared;
    SleepCache serial(e);
    for (int i = 0; i < 30 && serial.next_execution(); ++i) e.run(serial, {.tracing = false, .keep_going = true});
    ParallelOutcome started = search_parallel(e, c, {.serial_start = &serial});
    CHECK(started.end == ParallelOutcome::End::finished);
    CHECK(started.stats.executions <= alone.stats.executions);
    CHECK(started.stats.states >= alone.stats.states);
    fewer += started.stats.executions < alone.stats.executions;
  }
  // 51 programs end without a deadlock; in 40 of them the tasks run fewer
  // executions (in the others, the serial start's 30 executions explored
  // no state below the cut whole, or the whole program).
  CHECK(compared == 51);
  CHECK(fewer == 40);
}

TEST_CASE("parallel: the workers' shared table holds each state once, however many workers") {
  // Every state below the cut is met by some worker and stored once, so the
  // table's size does not depend on the workers or their timing; it lacks
  // only the cut's states (above it, held by no table).
  Program p = random(7);
  SearchConfig c = with(StrategyKind::dfs);
  c.stateful = true;
  c.check = {"watch"};
  c.serial_steps = 0;  // split however small the proof
  Executor e(p);
  SearchResult serial = search(e, c);
  REQUIRE(serial.verdict == Verdict::pass);
  c.select = TaskSelection{0, 1, std::nullopt};  // the split, on one worker
  SearchResult one = search(e, c);
  CHECK(one.verdict == Verdict::pass);
  CHECK(one.tasks > 1);
  CHECK(one.stats.states <= serial.stats.states);
  c.select.reset();
  for (uint32_t jobs : {2u, 4u}) {
    c.jobs = jobs;
    SearchResult r = search(e, c);
    CHECK(r.verdict == Verdict::pass);
    CHECK(r.stats.states == one.stats.states);
  }
  // After a serial start, the table also holds the states it explored
  // whole: every state below the cut is one of them or met by a worker,
  // and every one of them is a state of the serial search.
  c.serial_steps = serial.stats.steps / 2;
  SearchResult started = search(e, c);
  CHECK(started.verdict == Verdict::pass);
  CHECK(started.stats.states >= one.stats.states);
  CHECK(started.stats.states <= serial.stats.states);
  CHECK(started.before_split.executions > 0);
}

TEST_CASE("parallel: tasks that meet states another task is still exploring still meet every serial state") {
  // One thread plays two workers: the first task runs half its executions and
  // stops (the states on its path are in its table, not done), the
  // other tasks run whole (they explore those states again, taking their
  // threads highest first), then the first task finishes. The states met
  // are the serial search's; the counts differ from the tasks run in order
  // only through the states met unfinished.
  std::size_t differ = 0, split_programs = 0;
  std::vector<Program> programs = {own_cells(2, 6, true), own_cells(3, 3, true), own_cells(3, 4, true),
                                   own_cells(4, 2, true)};
  for (uint32_t seed = 0; seed < 100; ++seed) programs.push_back(random(seed));
  for (std::size_t n = 0; n < programs.size(); ++n) {
    CAPTURE(n);
    const Program& p = programs[n];
    std::set<uint64_t> serial = serial_and_split(p).first;
    Executor e(p), first(p);
    std::set<uint64_t> above;  // the cut's states
    SleepCache cut(e, SleepCache::Cut{cut_tasks(e).depth});
    Keys c(cut, e, above);
    run_all(e, c);
    const std::vector<SleepCache::Task>& tasks = cut.tasks();
    if (tasks.size() < 2) continue;
    ++split_programs;
    uint64_t executions[2] = {0, 0}, head_executions = 0;
    for (bool interleaved : {false, true}) {
      std::set<uint64_t> met = above;
      SharedStates shared;
      SleepCache head(first, tasks[0], shared);
      Keys h(head, first, met);
      // Alone, the first task runs whole; interleaved, half as many executions first.
      for (uint64_t i = 0; (!interleaved || 2 * i < head_executions) && h.next_execution(); ++i, ++executions[interleaved])
        first.run(h, {.tracing = false, .keep_going = true});
      if (!interleaved) head_executions = executions[0];
      for (std::size_t t = 1; t < tasks.size(); ++t) {
        SleepCache task(e, tasks[t], shared);
        Keys k(task, e, met);
        for (; k.next_execution(); ++executions[interleaved]) e.run(k, {.tracing = false, .keep_going = true});
      }
      for (; h.next_execution(); ++executions[interleaved]) first.run(h, {.tracing = false, .keep_going = true});
      CHECK(met == serial);
    }
    differ += executions[0] != executions[1];
  }
  CHECK(split_programs > 40);
  CHECK(differ >= 4);  // the interleaving met unfinished states, or it tests nothing
  MESSAGE(differ, " of ", split_programs, " split programs searched differently when interleaved");
}
