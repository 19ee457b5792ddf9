// The engine's costs, through the interface a model uses.
#include <optional>
#include <string>

#include "benches.hpp"
#include "checker.hpp"
#include "search/strategy.hpp"

namespace fsmc::bench {

namespace {

// Each thread writes its own object `steps` times: no blocking, no conflicts,
// so every figure is scheduling and bookkeeping only.
Program own_writes(int threads, int steps) {
  return [threads, steps](Builder& b) {
    for (int t = 0; t < threads; ++t) {
      ObjectId own = b.object("x" + std::to_string(t));
      b.thread("t" + std::to_string(t), [own, steps](Thread& th) {
        for (int i = 0; i < steps; ++i) write(th, own, "write");
      });
    }
  };
}

// Three steps, then an invariant fails with two threads still suspended: the
// shape of every execution a violation, a deadlock or a pruning cuts short.
Program ends_early() {
  return [](Builder& b) {
    bool& tripped = b.make<bool>(false);
    for (int t = 0; t < 2; ++t) {
      ObjectId own = b.object("x" + std::to_string(t));
      b.thread("t" + std::to_string(t), [own](Thread& th) {
        write(th, own, "write");
        write(th, own, "write");
      });
    }
    ObjectId flag = b.object("flag");
    b.thread("trip", [flag, &tripped](Thread& th) {
      write(th, flag, "trip");
      tripped = true;
    });
    b.invariant("not_tripped", [&tripped]() -> std::optional<std::string> {
      if (tripped) return "tripped";
      return std::nullopt;
    });
  };
}

// The cheapest strategy that still takes turns: the next enabled thread after
// the one that just ran. It keeps the search's own bookkeeping out of the
// per-step and setup figures.
class RoundRobin final : public Strategy {
 public:
  bool next_execution() override { return true; }
  ThreadId pick_thread(const SchedulePoint& p) override {
    if (p.current != no_thread)
      for (ThreadId t : p.enabled)
        if (t > p.current) return t;
    return p.enabled.front();
  }
  uint32_t pick_value(uint32_t) override { return 0; }
};

Figure executions(const Settings& settings, const Program& program) {
  Executor exec(program);
  RoundRobin strategy;
  return measure(settings, [&](uint64_t n) {
    return cpu_ns([&] {
      for (uint64_t i = 0; i < n; ++i) exec.run(strategy, {});
    });
  });
}

// Per step of a long execution, minus what an execution with no step costs.
Figure marginal_step(const Settings& settings, int threads) {
  Figure empty = executions(settings, own_writes(threads, 0));
  Figure full = executions(settings, own_writes(threads, step_run_length / threads));
  auto per_step = [&](double ns) { return (ns - empty.ns) / step_run_length; };
  return {per_step(full.ns), per_step(full.min_ns), per_step(full.max_ns), full.iterations, full.repetitions};
}

}  // namespace

EngineFigures bench_engine(const Settings& settings) {
  EngineFigures e;
  e.step = marginal_step(settings, 1);
  e.step_two_threads = marginal_step(settings, 2);
  {
    // Plain DFS as a user runs it: search() with no reduction, capped at n
    // executions. Every execution re-runs all 60 steps from a fresh state.
    Executor exec(own_writes(3, 20));
    e.execution_3x20 = measure(settings, [&](uint64_t n) {
      SearchConfig config;
      config.strategy = StrategyKind::dfs;
      config.max_executions = n;
      return cpu_ns([&] { search(exec, config); });
    });
  }
  e.setup = executions(settings, own_writes(3, 0));
  e.execution_3x1 = executions(settings, own_writes(3, 1));
  e.early_end = executions(settings, ends_early());
  return e;
}

}  // namespace fsmc::bench
