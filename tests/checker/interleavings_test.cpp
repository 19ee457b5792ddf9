// Exact execution counts under plain DFS for programs whose answer is known.
#include <doctest/doctest.h>

#include "programs.hpp"

using namespace fsmc;
using namespace fsmc::testing;

static uint64_t binomial(uint64_t n, uint64_t k) {
  uint64_t r = 1;
  for (uint64_t i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

TEST_CASE("two threads of a and b independent steps have C(a+b, a) executions") {
  for (int a = 0; a <= 5; ++a)
    for (int b = 1; b <= 5; ++b) {
      CAPTURE(a);
      CAPTURE(b);
      SearchResult r = run(independent_steps({a, b}), with(StrategyKind::dfs));
      CHECK(r.verdict == Verdict::pass);
      CHECK(r.exhaustive);
      CHECK(r.stats.executions == binomial(a + b, a));
      CHECK(r.stats.max_depth == static_cast<uint32_t>(a + b));
    }
}

TEST_CASE("three threads have the multinomial count of executions") {
  // (2+3+4)! / (2! 3! 4!) = 1260
  CHECK(run(independent_steps({2, 3, 4}), with(StrategyKind::dfs)).stats.executions == 1260);
  // (1+1+1)! = 6
  CHECK(run(independent_steps({1, 1, 1}), with(StrategyKind::dfs)).stats.executions == 6);
}

TEST_CASE("choose(3) in one thread gives exactly 3 executions") {
  std::vector<uint32_t> seen;
  Program p = [&seen](Builder& b) {
    b.thread("t", [&seen](Thread& t) { seen.push_back(t.choose(3, "pick")); });
  };
  SearchResult r = run(p, with(StrategyKind::dfs));
  CHECK(r.stats.executions == 3);
  CHECK(seen == std::vector<uint32_t>{0, 1, 2});
}

TEST_CASE("choose combined with interleavings gives the product") {
  // Thread a: choose(3) then one step (2 steps); thread b: 2 steps.
  Program p = [](Builder& b) {
    ObjectId x = b.object("x"), y = b.object("y");
    b.thread("a", [x](Thread& t) {
      t.choose(3, "pick");
      write(t, x, "a");
    });
    b.thread("b", [y](Thread& t) {
      write(t, y, "b");
      write(t, y, "b");
    });
  };
  CHECK(run(p, with(StrategyKind::dfs)).stats.executions == binomial(4, 2) * 3);
}

TEST_CASE("an unbounded bounded search is exhaustive and counts each execution of the last round") {
  // With every preemption allowed the last round is a full DFS.
  SearchResult r = run(independent_steps({2, 2}), with(StrategyKind::bounded, 10));
  CHECK(r.exhaustive);
  CHECK(r.verdict == Verdict::pass);
  // Rounds 0, 1, 2 explore the 2, 4 and 6 interleavings with at most that many preemptions.
  CHECK(r.stats.executions == 2 + 4 + 6);
  CHECK(r.stats.bound == 2);
}
