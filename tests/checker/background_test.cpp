// Background threads (Builder::background_thread): workers that wait for
// work and never finish. The execution ends when every other thread has
// finished and no worker can move; a wait then is no deadlock.
#include <doctest/doctest.h>

#include <string>

#include "programs.hpp"
#include "search/dfs.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

// A producer posts `jobs` jobs, one step each, and may then wait for all of
// them to be done; a worker serves them one step per job. The final check
// sees every job served.
Program producer_worker(int jobs, bool wait_for_done) {
  return [jobs, wait_for_done](Builder& b) {
    struct S {
      int posted = 0, served = 0;
    };
    S& s = b.make<S>();
    ObjectId queue = b.object("queue");
    b.thread("producer", [&s, queue, jobs, wait_for_done](Thread& t) {
      for (int i = 0; i < jobs; ++i) {
        write(t, queue, "post");
        ++s.posted;
      }
      if (wait_for_done) wait_until(t, queue, [&s, jobs] { return s.served == jobs; }, "wait_done");
    });
    b.background_thread("worker", [&s, queue](Thread& t) {
      for (;;) {
        Op op{.function = "serve"};
        wait_until(t, op.writes(queue), [&s] { return s.served < s.posted; });
        ++s.served;
      }
    });
    b.final_check("all served", [&s]() -> std::optional<std::string> {
      if (s.served == s.posted) return std::nullopt;
      return std::to_string(s.posted - s.served) + " jobs left";
    });
  };
}

// Runs every execution with `strategy`; the number of them.
int executions(const Program& p, Strategy& strategy) {
  Executor e(p);
  int n = 0;
  while (strategy.next_execution()) {
    const RunResult& r = e.run(strategy, {});
    CHECK(r.end == RunResult::End::finished);
    CHECK(r.violations.empty());
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("a worker runs after each post, at any point, and the execution ends when it waits with nothing to do") {
  // Posts p1 p2: the worker serves job 1 anywhere after p1 and job 2 after
  // p2 and its first serve: p1 p2 s s, p1 s p2 s.
  Dfs two;
  CHECK(executions(producer_worker(2, false), two) == 2);
  // Three posts: the serves interleave as the ballot sequences of length 6
  // with the posts first: 5 (the Catalan number C3).
  Dfs three;
  CHECK(executions(producer_worker(3, false), three) == 5);
}

TEST_CASE("a thread waiting for a worker is served before the end, no deadlock") {
  Dfs dfs;
  CHECK(executions(producer_worker(2, true), dfs) == 2);
  SearchResult r = run(producer_worker(2, true), with(StrategyKind::automatic));
  CHECK(r.verdict == Verdict::pass);
}

TEST_CASE("a deadlock names the waiting threads, not the idle workers") {
  Program p = [](Builder& b) {
    ObjectId never = b.object("never");
    b.thread("waiter", [never](Thread& t) { wait_until(t, never, [] { return false; }, "wait_forever"); });
    b.background_thread("worker", [never](Thread& t) { wait_until(t, never, [] { return false; }, "idle"); });
  };
  SearchResult r = run(p, with(StrategyKind::dfs));
  REQUIRE(r.verdict == Verdict::violation);
  const std::string& m = r.counterexamples.at(0).violation.message;
  CHECK(m == "no thread can move: waiter waits in wait_forever for wait never");
}

TEST_CASE("bounded rounds spend no preemption on a worker, and say they cut it off") {
  // Unbounded, the worker's serve goes before or after the second post (2
  // executions); a bounded round keeps the producer running while it can
  // (the preemption to the worker is not taken), so one execution and a cut.
  Dfs bounded(2);
  CHECK(executions(producer_worker(2, false), bounded) == 1);
  CHECK(bounded.cut());
  CHECK_FALSE(bounded.exhaustive());
  Dfs unbounded;
  CHECK(executions(producer_worker(2, false), unbounded) == 2);
  CHECK(unbounded.exhaustive());
}

TEST_CASE("DPOR agrees with DFS over a worker") {
  for (int jobs : {1, 2, 3}) {
    CAPTURE(jobs);
    SearchResult dfs = run(producer_worker(jobs, true), with(StrategyKind::dfs));
    SearchResult dpor = run(producer_worker(jobs, true), with(StrategyKind::dpor));
    CHECK(dfs.verdict == Verdict::pass);
    CHECK(dpor.verdict == Verdict::pass);
    CHECK(dpor.stats.executions <= dfs.stats.executions);
  }
}
