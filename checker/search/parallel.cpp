#include "search/parallel.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "rt/executor.hpp"

namespace fsmc {

namespace {

using Clock = std::chrono::steady_clock;

bool in_selection(std::size_t task, const std::optional<TaskSelection>& s) {
  if (!s) return true;
  return s->task ? task == *s->task : task % s->shards == s->shard;
}

// What the workers share.
struct Group {
  const SearchConfig& config;
  const ParallelLimits& limits;
  const std::vector<SleepCache::Task>& tasks;
  SharedStates states;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  // Every worker's, added in batches (work()'s flush_every): a line written
  // at every execution by both cores would cost a transfer between them each time.
  alignas(64) std::atomic<uint64_t> executions;
  std::mutex mutex;  // guards the outcome
  ParallelOutcome outcome;

  Group(const SearchConfig& c, const ParallelLimits& l, const std::vector<SleepCache::Task>& t)
      : config(c), limits(l), tasks(t), executions(l.executions_before) {}

  // The first reason to end, the group stops at it — but a violation found
  // while a cap stops the others still has the serial search run for it.
  void end(ParallelOutcome::End end, StopReason reason) {
    std::lock_guard<std::mutex> lock(mutex);
    if (outcome.end == ParallelOutcome::End::finished || end == ParallelOutcome::End::violation) {
      outcome.end = end;
      outcome.stopped_by = reason;
    }
    stop = true;
  }
  // `unflushed`: the caller's executions not yet added to `executions`;
  // `usage`: the table's, when the caller has just read it.
  std::optional<StopReason> cap(uint64_t unflushed, const std::optional<SharedStates::Usage>& usage) {
    const SearchConfig& c = config;
    if (executions.load(std::memory_order_relaxed) + unflushed >= c.max_executions) return StopReason::max_executions;
    if (c.interrupt && c.interrupt->load(std::memory_order_relaxed)) return StopReason::interrupt;
    if (limits.cancel && limits.cancel->load(std::memory_order_relaxed)) return StopReason::interrupt;
    if (c.seconds > 0 && Clock::now() >= limits.deadline) return StopReason::seconds;
    if (usage && c.max_memory > 0 && usage->bytes_needed > c.max_memory) return StopReason::memory;
    if (usage && usage->states > c.max_states) return StopReason::states;
    return std::nullopt;
  }
};

// One worker: takes the next task until none is left or the group stops.
void work(Group& g, Executor& exec, bool first) {
  const SearchConfig& c = g.config;
  constexpr uint64_t flush_every = 64;
  SearchStats stats;
  uint64_t unflushed = 0;  // executions not yet added to g.executions
  for (std::size_t i; !g.stop && (i = g.next.fetch_add(1)) < g.tasks.size();) {
    if (!in_selection(i, c.select)) continue;
    SleepCache task(exec, g.tasks[i], g.states);
    while (!g.stop && task.next_execution()) {
      // The table's usage takes every stripe's lock (and the lines the
      // other workers hold): not at every execution.
      std::optional<SharedStates::Usage> usage;
      if ((stats.executions & 1023) == 0) usage = g.states.usage();
      if (auto reason = g.cap(unflushed, usage)) {
        g.end(ParallelOutcome::End::capped, *reason);
        break;
      }
      if (first && usage && c.progress)
        c.progress({g.executions.load(), std::chrono::duration<double>(Clock::now() - g.limits.start).count(),
                    StrategyKind::dfs, -1, static_cast<int64_t>(usage->states),
                    static_cast<double>(i) / static_cast<double>(g.tasks.size())});
      const RunResult& r = exec.run(task, {.tracing = false, .keep_going = false, .interrupt = c.interrupt,
                                           .deadline = g.limits.deadline});
      if (r.end == RunResult::End::stopped) {
        bool interrupted = c.interrupt && c.interrupt->load();
        g.end(ParallelOutcome::End::capped, interrupted ? StopReason::interrupt : StopReason::seconds);
        break;
      }
      ++stats.executions;
      if (++unflushed == flush_every) g.executions.fetch_add(std::exchange(unflushed, 0), std::memory_order_relaxed);
      stats.steps += r.steps;
      stats.max_depth = std::max(stats.max_depth, r.steps);
      stats.pruned += r.end == RunResult::End::pruned && r.violations.empty();
      if (!r.violations.empty()) g.end(ParallelOutcome::End::violation, StopReason::violation);
    }
  }
  g.executions.fetch_add(unflushed, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(g.mutex);
  ParallelOutcome& o = g.outcome;
  o.stats.executions += stats.executions;
  o.stats.steps += stats.steps;
  o.stats.pruned += stats.pruned;
  o.stats.max_depth = std::max(o.stats.max_depth, stats.max_depth);
  add_reached(o.reached, exec.coverage().reached());
  add_goals_met(o.goals_met, exec.coverage().goals_met());
}

}  // namespace

TreeCut cut_tasks(Executor& exec) {
  // The cut searches the tree statelessly down to it: the smallest depth
  // with enough tasks is found by cutting at 1, 2, ... (cheap next to the
  // tasks: fewer than wanted_tasks executions reach each depth tried). A
  // tree that ends first is cut where it was widest. Going on after a
  // violation, every cut has the same tasks whatever the invariants checked.
  uint64_t unchecked = exec.unchecked();
  std::size_t widest = 1, most = 0;
  bool again = false;  // cutting where the tree was widest
  for (std::size_t depth = 1;; ++depth) {
    TreeCut out;
    exec.set_unchecked(unchecked);  // keep_going stops checking what it found: every pass checks all
    SleepCache cut(exec, SleepCache::Cut{depth});
    while (cut.next_execution()) {
      const RunResult& r = exec.run(cut, {.tracing = false, .keep_going = true});
      ++out.executions;
      out.steps += r.steps;
      out.violation |= !r.violations.empty();
    }
    std::size_t n = cut.tasks().size();
    if (n > most) {
      most = n;
      widest = depth;
    }
    // Where paths meet in few states, deeper cuts would find more tasks
    // only at the price of exponentially many paths: enough of those ends it too.
    bool ended = n == 0 || depth >= max_cut_depth || cut.paths_cut() >= max_cut_paths;
    if (again || n >= wanted_tasks || (ended && widest == depth)) {
      out.tasks = cut.tasks();
      out.depth = depth;
      exec.set_unchecked(unchecked);
      return out;
    }
    if (ended) {
      depth = widest - 1;  // the loop adds one
      again = true;
    }
  }
}

ParallelOutcome search_parallel(Executor& exec, const SearchConfig& config, const ParallelLimits& limits) {
  // The cut checks the states above it (a task replays its prefix
  // unchecked: Strategy::seen_before); the tasks, those below.
  uint64_t unchecked = exec.unchecked();
  TreeCut cut = cut_tasks(exec);
  const std::vector<SleepCache::Task>& tasks = cut.tasks;
  Group g(config, limits, tasks);
  if (limits.serial_start) limits.serial_start->share_explored(g.states);
  g.outcome.tasks = tasks.size();
  g.outcome.goals_met.assign(config.reach.size(), false);
  g.outcome.stats.executions = cut.executions;
  g.outcome.stats.steps = cut.steps;
  g.executions += cut.executions;
  if (cut.violation) {
    g.outcome.end = ParallelOutcome::End::violation;
    g.outcome.stopped_by = StopReason::violation;
    return std::move(g.outcome);
  }
  std::size_t selected = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) selected += in_selection(i, config.select);
  // No more workers than tasks to run: a function of the flags, never of timing.
  std::size_t most = std::max<uint32_t>(1, config.jobs);
  auto workers = static_cast<uint32_t>(std::min(std::max<std::size_t>(1, selected), most));
  g.outcome.workers = workers;
  std::vector<std::unique_ptr<Executor>> executors;
  for (uint32_t w = 1; w < workers; ++w) {
    executors.push_back(std::make_unique<Executor>(exec.program(), exec.options()));
    Executor& e = *executors.back();
    e.set_unchecked(unchecked);
    e.coverage().reset(config.reach);
  }
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  for (auto& e : executors)
    threads.emplace_back([&g, &failure, ep = e.get()] {
      try {
        work(g, *ep, false);
      } catch (...) {
        std::lock_guard<std::mutex> lock(g.mutex);
        failure = std::current_exception();
        g.stop = true;
      }
    });
  try {
    work(g, exec, true);
  } catch (...) {
    g.stop = true;
    for (std::thread& t : threads) t.join();
    throw;
  }
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  g.outcome.stats.states = g.states.size();
  if (g.outcome.end == ParallelOutcome::End::finished && g.outcome.stats.states > config.max_states) {
    g.outcome.end = ParallelOutcome::End::capped;  // ended within the last checks' interval
    g.outcome.stopped_by = StopReason::states;
  }
  return std::move(g.outcome);
}

}  // namespace fsmc
