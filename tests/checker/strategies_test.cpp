// Preemption bounding, random and PCT determinism, and replay.
#include <doctest/doctest.h>

#include "programs.hpp"
#include "search/pct.hpp"
#include "search/random.hpp"
#include "search/replay.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

// Thread a writes x = 1 then x = 2; thread b must see x == 1 and then x == 2:
// b has to run between a's two steps and again after them, before a ends —
// which takes exactly two preemptions.
Program needs_two_preemptions() {
  return [](Builder& b) {
    struct S { int x = 0; int seen = 0; };
    S& s = b.make<S>();
    ObjectId x = b.object("x");
    b.thread("a", [&s, x](Thread& t) {
      write(t, x, "a", "x=1");
      s.x = 1;
      write(t, x, "a", "x=2");
      s.x = 2;
    });
    b.thread("b", [&s, x](Thread& t) {
      read(t, x, "b", "see 1");
      if (s.x == 1) ++s.seen;
      read(t, x, "b", "see 2");
      if (s.x == 2 && s.seen == 1) ++s.seen;
    });
    b.invariant("not_both", [&s]() -> std::optional<std::string> {
      if (s.seen < 2) return std::nullopt;
      return std::string("b saw 1 then 2");
    });
  };
}

// A program with several threads, locks and choices, for determinism checks.
Program busy() {
  return [](Builder& b) {
    struct S { int x = 0; };
    S& s = b.make<S>();
    Mutex m = b.mutex("m");
    ObjectId x = b.object("x");
    for (int i = 0; i < 3; ++i)
      b.thread("t" + std::to_string(i), [&s, m, x](Thread& t) {
        for (int k = 0; k < 3; ++k) {
          uint32_t v = t.choose(2, "pick");
          m.lock(t, "add");
          write(t, x, "add");
          s.x += static_cast<int>(v);
          t.detail([&] { return "x=" + std::to_string(s.x); });
          m.unlock(t, "add");
        }
      });
  };
}

std::vector<std::vector<uint32_t>> executions_of(Strategy& s, int n) {
  Executor e(busy());
  std::vector<std::vector<uint32_t>> out;
  for (int i = 0; i < n && s.next_execution(); ++i) out.push_back(e.run(s, {}).decisions);
  return out;
}

}  // namespace

TEST_CASE("a bug that needs two preemptions is missed with bound 1 and found with bound 2") {
  SearchResult one = run(needs_two_preemptions(), with(StrategyKind::bounded, 1));
  CHECK(one.verdict == Verdict::bounded);
  CHECK_FALSE(one.exhaustive);
  SearchResult two = run(needs_two_preemptions(), with(StrategyKind::bounded, 2));
  REQUIRE(two.verdict == Verdict::violation);
  CHECK(two.counterexamples.at(0).violation.preemptions == 2);
  CHECK(run(needs_two_preemptions(), with(StrategyKind::dfs)).verdict == Verdict::violation);
}

TEST_CASE("random search: the same seed gives the same executions, another seed others") {
  RandomWalk a(7, 50), b(7, 50), c(8, 50);
  auto ea = executions_of(a, 50), eb = executions_of(b, 50), ec = executions_of(c, 50);
  CHECK(ea.size() == 50);
  CHECK(ea == eb);
  CHECK(ea != ec);
}

TEST_CASE("PCT: the same seed gives the same executions, another seed others") {
  Pct a(3, 50, 3), b(3, 50, 3), c(4, 50, 3);
  auto ea = executions_of(a, 50), eb = executions_of(b, 50), ec = executions_of(c, 50);
  CHECK(ea.size() == 50);
  CHECK(ea == eb);
  CHECK(ea != ec);
}

TEST_CASE("PCT with depth 3 finds the two-preemption bug") {
  SearchConfig c = with(StrategyKind::pct);
  c.depth = 3;
  c.max_executions = 2000;
  CHECK(run(needs_two_preemptions(), c).verdict == Verdict::violation);
}

TEST_CASE("replaying a recorded decision list reproduces the trace step by step") {
  Executor e(busy());
  RandomWalk walk(11, 20);
  while (walk.next_execution()) {
    RunResult original = e.run(walk, {.tracing = true});
    Replay again(original.decisions);
    again.next_execution();
    const RunResult& replayed = e.run(again, {.tracing = true});
    CHECK_FALSE(again.diverged());
    CHECK(again.consumed());
    REQUIRE(replayed.trace.size() == original.trace.size());
    for (std::size_t i = 0; i < original.trace.size(); ++i) {
      CHECK(replayed.trace[i].thread == original.trace[i].thread);
      CHECK(replayed.trace[i].function == original.trace[i].function);
      CHECK(replayed.trace[i].detail == original.trace[i].detail);
      CHECK(replayed.trace[i].value == original.trace[i].value);
    }
  }
}

TEST_CASE("replay of an impossible decision is reported as diverged") {
  Executor e(needs_two_preemptions());
  ReplayOutcome o = replay(e, {1, 1, 1, 0}, "not_both");  // b has only two steps
  CHECK(o.diverged);
  CHECK_FALSE(o.reproduced);
}

TEST_CASE("a counterexample replays to the same violation at the same step") {
  Executor e(needs_two_preemptions());
  SearchResult r = search(e, with(StrategyKind::dfs));
  REQUIRE(r.verdict == Verdict::violation);
  const Violation& v = r.counterexamples.at(0).violation;
  ReplayOutcome o = replay(e, v.decisions, v.invariant);
  CHECK(o.reproduced);
  CHECK(o.run.steps == v.step);
  CHECK(o.run.trace.size() == v.step);
}

TEST_CASE("keep_going finds every checked invariant, each with its own counterexample") {
  Program p = [](Builder& b) {
    struct S { int x = 0; };
    S& s = b.make<S>();
    ObjectId x = b.object("x");
    b.thread("a", [&s, x](Thread& t) {
      write(t, x, "a");
      s.x = 1;
    });
    b.thread("b", [&s, x](Thread& t) {
      write(t, x, "b");
      s.x = 2;
    });
    b.invariant("never_1", [&s]() -> std::optional<std::string> {
      return s.x == 1 ? std::optional<std::string>("x is 1") : std::nullopt;
    });
    b.final_check("ends_1", [&s]() -> std::optional<std::string> {
      return s.x != 1 ? std::optional<std::string>("x ends at " + std::to_string(s.x)) : std::nullopt;
    });
  };
  SearchConfig c = with(StrategyKind::dfs);
  c.keep_going = true;
  SearchResult r = run(p, c);
  REQUIRE(r.counterexamples.size() == 2);
  CHECK(r.counterexamples[0].violation.invariant == "never_1");
  CHECK(r.counterexamples[1].violation.invariant == "ends_1");
  c.check = {"ends_1"};
  SearchResult only = run(p, c);
  REQUIRE(only.counterexamples.size() == 1);
  CHECK(only.counterexamples[0].violation.invariant == "ends_1");
}

TEST_CASE("a model that never ends is reported as a step_limit violation") {
  Program p = [](Builder& b) {
    ObjectId x = b.object("x");
    b.thread("spin", [x](Thread& t) {
      for (;;) write(t, x, "spin");
    });
  };
  Executor e(p, {.step_limit = 100});
  SearchResult r = search(e, with(StrategyKind::dfs));
  REQUIRE(r.verdict == Verdict::violation);
  CHECK(r.counterexamples.at(0).violation.invariant == step_limit);
  CHECK(r.counterexamples[0].violation.step == 100);
}

TEST_CASE("random and PCT searches that find nothing say bounded, never inconclusive") {
  for (StrategyKind k : {StrategyKind::random, StrategyKind::pct}) {
    SearchConfig c = with(k);
    c.max_executions = 40;
    SearchResult r = run(busy(), c);
    CHECK(r.verdict == Verdict::bounded);
    CHECK(r.stats.executions == 40);
    CHECK_FALSE(r.exhaustive);
    CHECK(r.stopped_by == StopReason::none);
  }
}

TEST_CASE("an exhaustive search that ends exactly at the execution cap has finished") {
  SearchConfig c = with(StrategyKind::dfs);
  c.max_executions = 6;  // two threads of two independent steps: C(4,2) = 6 orders
  SearchResult r = run(independent_steps({2, 2}), c);
  CHECK(r.verdict == Verdict::pass);
  CHECK(r.stats.executions == 6);
  c.max_executions = 5;
  CHECK(run(independent_steps({2, 2}), c).verdict == Verdict::inconclusive);
}

TEST_CASE("the time cap stops an execution that would run for very long") {
  Program p = [](Builder& b) {
    ObjectId x = b.object("x");
    b.thread("spin", [x](Thread& t) {
      for (;;) write(t, x, "spin");
    });
  };
  Executor e(p, {.step_limit = 4'000'000'000u});  // hours of steps before step_limit would fire
  SearchConfig c = with(StrategyKind::dfs);
  c.seconds = 0.05;
  SearchResult r = search(e, c);
  CHECK(r.verdict == Verdict::inconclusive);
  CHECK(r.stopped_by == StopReason::seconds);
  CHECK(r.stats.executions == 0);  // the stopped execution is not counted
}

TEST_CASE("an interrupt ends the search with what it found so far") {
  std::atomic<bool> interrupt = true;
  SearchConfig c = with(StrategyKind::dfs);
  c.interrupt = &interrupt;
  SearchResult r = run(busy(), c);
  CHECK(r.verdict == Verdict::inconclusive);
  CHECK(r.stopped_by == StopReason::interrupt);
}
