// An execution that ends early abandons its suspended fibers without
// unwinding them (docs/engine.md, "Ending an execution early"). What a model
// thread keeps alive across a step is then never destroyed. These tests count
// live heap blocks around whole searches: a program that breaks the rule must
// show exactly the blocks its suspended threads held, and programs that keep
// the rule must show none, while their executions do end with threads
// suspended.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker.hpp"
#include "search/dfs.hpp"

#include "../support/counting_allocator.hpp"
#include "../support/expected_leaks.hpp"

using namespace fsmc;

namespace {

// Blocks still allocated after `f` than before it. `f` must build and drop
// everything it uses (executor, strategy, results), so that only what was
// lost remains.
template <class F>
int64_t blocks_left_by(F&& f) {
  int64_t before = fsmc::testing::live_heap_blocks.load(std::memory_order_relaxed);
  f();
  return fsmc::testing::live_heap_blocks.load(std::memory_order_relaxed) - before;
}

// Makes `p` visible to the outside, so that the compiler cannot drop a heap
// buffer nobody reads (GCC removes such new/delete pairs).
void escape(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

// How often the holder thread began its body and got to its end; the
// difference is the executions that ended with it suspended.
struct Counts {
  int started = 0;
  int ended = 0;
};

// Thread "holder" takes `steps` steps while `keep_across_steps` decides
// whether its heap buffer lives across them (breaking the rule) or only
// between two steps (keeping it). Thread "trip" makes one step; if the
// holder is not done by then, an invariant fails and the execution ends
// with the holder suspended.
Program holder_and_trip(int steps, bool keep_across_steps, Counts& counts) {
  return [steps, keep_across_steps, &counts](Builder& b) {
    struct State {
      bool tripped = false;
      bool holder_done = false;
    };
    State& s = b.make<State>();
    ObjectId x = b.object("x");
    ObjectId flag = b.object("flag");
    b.thread("holder", [=, &s, &counts](Thread& t) {
      ++counts.started;
      if (keep_across_steps) {
        std::vector<int> kept(64, 1);
        escape(kept.data());
        for (int i = 0; i < steps; ++i) write(t, x, "holder");
      } else {
        for (int i = 0; i < steps; ++i) {
          {
            std::vector<int> scratch(64, 1);
            escape(scratch.data());
          }  // gone before the step, as the rule asks
          write(t, x, "holder");
        }
      }
      s.holder_done = true;
      ++counts.ended;
    });
    b.thread("trip", [flag, &s](Thread& t) {
      write(t, flag, "trip");
      s.tripped = true;
    });
    b.invariant("trip_after_holder", [&s]() -> std::optional<std::string> {
      if (s.tripped && !s.holder_done) return "trip ran before the holder was done";
      return std::nullopt;
    });
  };
}

// Every execution under plain DFS, stepped by hand so that a violation does
// not stop the search: trip runs before the holder's 1st, 2nd, ... step, or
// after its last.
int run_every_execution(const Program& program) {
  Executor exec(program);
  Dfs dfs;
  int executions = 0;
  while (dfs.next_execution()) {
    exec.run(dfs, {});
    ++executions;
  }
  return executions;
}

}  // namespace

TEST_CASE("a thread that keeps a heap object across a step leaks it when the execution ends early") {
  for (int steps = 1; steps <= 4; ++steps) {
    CAPTURE(steps);
    Counts counts;
    Program p = holder_and_trip(steps, true, counts);
    [[maybe_unused]] fsmc::testing::ExpectedLeaks leaking_on_purpose;  // the fibers run on this thread
    run_every_execution(p);  // first-use allocations of the library stay out of the count
    counts = {};
    int executions = 0;
    int64_t leaked = blocks_left_by([&] { executions = run_every_execution(p); });
    CHECK(executions == steps + 1);
    CHECK(counts.started - counts.ended == steps);
    // Exactly the one buffer of each execution that ended with the holder suspended.
    CHECK(leaked == steps);
  }
}

TEST_CASE("a thread that frees its heap objects before each step leaks nothing when executions end early") {
  for (int steps = 1; steps <= 4; ++steps) {
    CAPTURE(steps);
    Counts counts;
    Program p = holder_and_trip(steps, false, counts);
    run_every_execution(p);
    counts = {};
    int64_t leaked = blocks_left_by([&] { run_every_execution(p); });
    CHECK(counts.started - counts.ended == steps);  // the early ends did happen
    CHECK(leaked == 0);
  }
}

TEST_CASE("no leak through search() when executions end early, under every strategy") {
  for (StrategyKind kind : {StrategyKind::dfs, StrategyKind::dpor, StrategyKind::bounded, StrategyKind::random,
                            StrategyKind::pct, StrategyKind::automatic}) {
    CAPTURE(std::string(to_string(kind)));
    Counts counts;
    Program p = holder_and_trip(3, false, counts);
    SearchConfig config;
    config.strategy = kind;
    config.max_executions = 1000;
    Verdict verdict = Verdict::pass;
    // The search, then the replay of its counterexample with tracing on.
    auto search_once = [&] {
      Executor exec(p);
      verdict = search(exec, config).verdict;
    };
    search_once();
    counts = {};
    int64_t leaked = blocks_left_by(search_once);
    CHECK(verdict == Verdict::violation);
    CHECK(counts.started > counts.ended);
    CHECK(leaked == 0);
  }
}

TEST_CASE("no leak when a deadlock or the step limit ends the execution with threads suspended") {
  // Lock-order inversion: the execution that deadlocks ends with both threads
  // suspended in lock(), each after building and dropping a buffer.
  Program inversion = [](Builder& b) {
    Mutex m1 = b.mutex("A"), m2 = b.mutex("B");
    auto body = [](Mutex first, Mutex second) {
      return [first, second](Thread& t) {
        {
          std::vector<int> scratch(16);
          escape(scratch.data());
        }
        first.lock(t, "take_first");
        second.lock(t, "take_second");
        second.unlock(t, "drop_second");
        first.unlock(t, "drop_first");
      };
    };
    b.thread("ab", body(m1, m2));
    b.thread("ba", body(m2, m1));
  };
  // A thread that never ends; the step limit cuts it off while suspended.
  Program endless = [](Builder& b) {
    ObjectId x = b.object("x");
    b.thread("spin", [x](Thread& t) {
      for (;;) {
        {
          std::vector<int> scratch(8);
          escape(scratch.data());
        }
        write(t, x, "spin");
      }
    });
  };
  for (auto [program, name] : {std::pair{&inversion, no_deadlock}, std::pair{&endless, step_limit}}) {
    const std::string invariant = name;  // CAPTURE takes it in a lambda: clang 14 cannot capture a binding
    CAPTURE(invariant);
    bool found = false;  // exactly the one expected violation
    auto search_once = [&, program = program, invariant = invariant] {
      Executor exec(*program, {.step_limit = 50});
      SearchConfig config;
      config.strategy = StrategyKind::dfs;
      SearchResult r = search(exec, config);
      found = r.counterexamples.size() == 1 && r.counterexamples[0].violation.invariant == invariant;
    };
    search_once();
    int64_t leaked = blocks_left_by(search_once);
    CHECK(found);
    CHECK(leaked == 0);
  }
}
