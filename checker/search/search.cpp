#include "search/search.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "search/pct.hpp"
#include "search/replay.hpp"
#include "search/sleep_cache.hpp"
#include "search/tasks.hpp"

namespace fsmc {

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass: return "pass";
    case Verdict::bounded: return "bounded";
    case Verdict::violation: return "violation";
    case Verdict::inconclusive: return "inconclusive";
    case Verdict::vacuous: return "vacuous";
  }
  return "?";
}

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::none: return "none";
    case StopReason::violation: return "violation";
    case StopReason::max_executions: return "max_executions";
    case StopReason::seconds: return "seconds";
    case StopReason::memory: return "memory";
    case StopReason::interrupt: return "interrupt";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

// One phase of a search: a strategy run until it is done or a cap stops it.
struct Phase {
  StrategyKind kind;
  std::unique_ptr<Strategy> strategy;
};

Phase make_phase(StrategyKind kind, const SearchConfig& c, const Executor& e) { return {kind, entry(kind).make(c, e)}; }

// What the drivers of one search share: its clock and caps, and which tasks
// are still needed.
struct Shared {
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = Clock::time_point::max();
  std::atomic<uint64_t> executions{0};
  std::atomic<uint64_t> needed_up_to{UINT64_MAX};  // tasks above it cannot change the answer
  std::mutex progress;                             // one progress call at a time
  std::atomic<uint64_t> tasks_done{0};
  uint64_t tasks = 0;
};

// The phase that cuts the tree into tasks searches it statelessly down to
// the cut, so the cut is the smallest depth with enough tasks: found by
// cutting at 1, 2, ... (executions not counted; cheap next to the tasks).
std::size_t cut_depth(Executor& exec, const SearchConfig& c) {
  for (std::size_t depth = 1;; ++depth) {
    SleepCache cut(exec, SleepCache::Cut{depth});
    while (cut.next_execution()) {
      const RunResult& r = exec.run(cut, {.tracing = false, .keep_going = c.keep_going, .interrupt = c.interrupt});
      if (r.end == RunResult::End::stopped) return depth;  // the phase itself will stop at the interrupt
    }
    std::size_t n = cut.prefixes().size();
    if (n == 0 || n >= wanted_tasks || depth >= max_cut_depth) return depth;
  }
}

class Driver {
 public:
  Driver(Executor& e, const SearchConfig& c, Shared& shared) : exec_(e), config_(c), shared_(shared) {}

  // Everything before the tasks; `parts.split` when it ends in a cut, whose
  // prefixes are then prefixes().
  Part lead(Parts& parts) {
    setup(config_.check.empty() ? exec_.invariant_names() : config_.check);
    bool finished = false;  // the last phase ran to its end
    bool exhaustive = false;
    if (config_.schedule) {
      Phase pinned{config_.strategy, std::make_unique<Replay>(*config_.schedule)};
      finished = run_phase(pinned);
    } else if (config_.strategy == StrategyKind::automatic) {
      // Shallow bugs first, with the fewest preemptions — within a budget,
      // so that the proof starts soon however wide the program is.
      Phase bounded = make_phase(StrategyKind::bounded, config_, exec_);
      bool spent = false;
      finished = run_phase(bounded, config_.shallow_steps, &spent);
      exhaustive = finished && bounded.strategy->exhaustive();
      if (spent && !stop_) {
        // Too many threads for the rounds to finish: a few schedules with
        // few priority changes (PCT) reach shallow bugs at any width.
        Phase sampled{StrategyKind::pct, std::make_unique<Pct>(config_.seed, UINT64_MAX, config_.depth)};
        spent = false;
        finished = run_phase(sampled, config_.shallow_steps / 10, &spent) || spent;
      }
      if (finished && !exhaustive && !stop_) {
        // The stateful search explores every state with sleep sets (sleep_cache.hpp).
        if (splits()) {
          finished = cut(parts);
        } else {
          Phase full = make_phase(exec_.has_state_hash() && config_.stateful ? StrategyKind::dfs : StrategyKind::dpor,
                                  config_, exec_);
          finished = run_phase(full);
          exhaustive = finished;
        }
      }
    } else if (config_.strategy == StrategyKind::dfs && splits()) {
      finished = cut(parts);
    } else {
      Phase p = make_phase(config_.strategy, config_, exec_);
      finished = run_phase(p);
      exhaustive = finished && p.strategy->exhaustive();
    }
    part_.finished = finished;
    part_.exhaustive = exhaustive;
    return finish_part();
  }

  // One task: the subtree below `prefix`, checking `check`.
  Part task(const SleepCache::Prefix& prefix, uint64_t index, const std::vector<std::string>& check) {
    setup(check);
    index_ = index;
    Phase below{StrategyKind::dfs, std::make_unique<SleepCache>(exec_, prefix)};
    part_.finished = run_phase(below);
    return finish_part();
  }
  // The task was stopped because a lower one settled the search.
  bool cancelled() const { return cancelled_; }
  const std::vector<SleepCache::Prefix>& prefixes() const { return prefixes_; }

 private:
  bool splits() const {
    return (config_.split || config_.select) && config_.stateful && exec_.has_state_hash();
  }
  void setup(const std::vector<std::string>& check) {
    exec_.check_only(check);
    exec_.observe_reads(config_.observe_reads);
    exec_.coverage().reset(config_.reach);
  }
  Part finish_part() {
    part_.reached = exec_.coverage().reached();
    part_.goals_met = exec_.coverage().goals_met();
    return std::move(part_);
  }

  // The cut at a depth chosen from the program alone: its prefixes are the tasks.
  bool cut(Parts& parts) {
    parts.split = true;
    parts.depth = cut_depth(exec_, config_);
    auto strategy = std::make_unique<SleepCache>(exec_, SleepCache::Cut{parts.depth});
    const SleepCache& cutting = *strategy;
    Phase phase{StrategyKind::dfs, std::move(strategy)};
    bool finished = run_phase(phase);
    prefixes_ = cutting.prefixes();
    return finished;
  }

  bool interrupted() const { return config_.interrupt && config_.interrupt->load(std::memory_order_relaxed); }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - shared_.start).count(); }
  uint64_t memory_cap() const { return config_.max_memory / std::max<uint32_t>(1, config_.jobs); }

  // Runs the phase; true when its strategy finished (not stopped by a cap or
  // a violation). Past `budget` steps of its own it stops, setting *spent.
  bool run_phase(Phase& phase, uint64_t budget = UINT64_MAX, bool* spent = nullptr) {
    uint64_t first = part_.stats.steps;
    Strategy& s = *phase.strategy;
    bool capped = false;
    while (!stop_) {
      if (!s.next_execution()) break;  // first: a search that ends exactly at a cap has finished
      if (part_.stats.steps - first >= budget) {
        *spent = true;
        return false;
      }
      if (index_ > shared_.needed_up_to.load(std::memory_order_relaxed)) {
        cancelled_ = true;
        return false;
      }
      StopReason cap = StopReason::none;
      if (shared_.executions.load(std::memory_order_relaxed) >= config_.max_executions) cap = StopReason::max_executions;
      else if (interrupted()) cap = StopReason::interrupt;
      else if (config_.seconds > 0 && Clock::now() >= shared_.deadline) cap = StopReason::seconds;
      else if (config_.max_memory > 0 && s.stats().memory > memory_cap()) cap = StopReason::memory;
      if (cap != StopReason::none) {
        part_.stopped_by = cap;
        capped = true;
        break;
      }
      if ((part_.stats.executions & 255) == 0 && config_.progress) report_progress(phase.kind, s.stats());
      const RunResult& r = exec_.run(s, {.tracing = false, .keep_going = config_.keep_going,
                                         .interrupt = config_.interrupt, .deadline = shared_.deadline});
      if (r.end == RunResult::End::stopped) {
        part_.stopped_by = interrupted() ? StopReason::interrupt : StopReason::seconds;
        capped = true;
        break;
      }
      ++part_.stats.executions;
      shared_.executions.fetch_add(1, std::memory_order_relaxed);
      part_.stats.steps += r.steps;
      part_.stats.max_depth = std::max(part_.stats.max_depth, r.steps);
      part_.stats.pruned += r.end == RunResult::End::pruned && r.violations.empty();
      for (const Violation& v : r.violations) part_.violations.push_back(v);
      if (!r.violations.empty() && (!config_.keep_going || all_found())) {
        stop_ = true;
        part_.stopped_by = StopReason::violation;
      }
    }
    StrategyStats last = s.stats();
    if (last.bound >= 0) part_.stats.bound = last.bound;
    if (last.states >= 0) {
      part_.stateful = true;
      part_.stats.states = static_cast<uint64_t>(last.states);
    }
    return !stop_ && !capped;
  }

  void report_progress(StrategyKind kind, const StrategyStats& now) {
    std::lock_guard<std::mutex> lock(shared_.progress);
    double explored = now.explored;
    if (shared_.tasks > 0) explored = static_cast<double>(shared_.tasks_done.load()) / static_cast<double>(shared_.tasks);
    config_.progress({shared_.executions.load(), elapsed(), kind, now.bound, now.states, explored});
  }

  bool all_found() const {
    for (const std::string& name : exec_.invariant_names())
      if (exec_.checked(name) && name != no_deadlock && name != step_limit) return false;
    return true;
  }

  Executor& exec_;
  const SearchConfig& config_;
  Shared& shared_;
  Part part_;
  bool stop_ = false;
  uint64_t index_ = 0;  // a task's index (the lead's is 0: never cancelled)
  bool cancelled_ = false;
  std::vector<SleepCache::Prefix> prefixes_;
};

// The invariants each task checks: the lead's, but for those the lead found.
std::vector<std::string> task_checks(const Executor& exec, const SearchConfig& config, const Part& lead) {
  std::vector<std::string> out;
  for (const std::string& name : config.check.empty() ? exec.invariant_names() : config.check) {
    bool found = std::any_of(lead.violations.begin(), lead.violations.end(),
                             [&](const Violation& v) { return v.invariant == name; });
    if (!found || name == no_deadlock || name == step_limit) out.push_back(name);
  }
  return out;
}

// Runs the tasks (those selected) on config.jobs workers, each with its own
// executor, the first on `exec`; a worker takes the lowest task not yet
// taken. A task above one that settles the search is skipped or stopped.
void run_tasks(Executor& exec, const SearchConfig& config, Shared& shared, const std::vector<SleepCache::Prefix>& prefixes,
               Parts& parts) {
  std::vector<std::string> check = task_checks(exec, config, parts.lead);
  std::vector<std::string> wanted = wanted_invariants(exec, config);
  parts.tasks.assign(prefixes.size(), std::nullopt);
  shared.tasks = prefixes.size();
  std::atomic<uint64_t> next{0};
  std::mutex done;  // guards parts.tasks
  auto work = [&](Executor& e) {
    for (uint64_t i; (i = next.fetch_add(1)) < prefixes.size();) {
      if (config.select && !in_shard(static_cast<uint32_t>(i), *config.select)) continue;
      if (i > shared.needed_up_to.load()) continue;
      Driver d(e, config, shared);
      Part p = d.task(prefixes[i], i, check);
      shared.tasks_done.fetch_add(1);
      if (d.cancelled()) continue;
      std::lock_guard<std::mutex> lock(done);
      parts.tasks[i] = std::move(p);
      // Settled by this task alone, or by the tasks up to some one, all done.
      const Part& t = *parts.tasks[i];
      bool alone = !t.finished || (!config.keep_going && !t.violations.empty());
      uint64_t settled = alone ? i : UINT64_MAX;
      std::optional<std::size_t> last = last_needed(parts, config.keep_going, wanted);
      if (last && *last < prefixes.size()) settled = std::min<uint64_t>(settled, *last);
      if (settled < shared.needed_up_to.load()) shared.needed_up_to.store(settled);
    }
  };
  uint32_t workers = std::max<uint32_t>(1, std::min<uint64_t>(config.jobs, prefixes.size()));
  std::vector<std::unique_ptr<Executor>> executors;
  for (uint32_t w = 1; w < workers; ++w) executors.push_back(std::make_unique<Executor>(exec.program(), exec.options()));
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failed;
  for (auto& e : executors)
    threads.emplace_back([&, ep = e.get()] {
      try {
        work(*ep);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failed);
        failure = std::current_exception();
        shared.needed_up_to.store(0);
      }
    });
  try {
    work(exec);
  } catch (...) {
    shared.needed_up_to.store(0);
    for (std::thread& t : threads) t.join();
    throw;
  }
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::vector<std::string> wanted_invariants(const Executor& executor, const SearchConfig& config) {
  std::vector<std::string> out;
  for (const std::string& name : executor.invariant_names()) {
    bool checked = config.check.empty() || std::find(config.check.begin(), config.check.end(), name) != config.check.end();
    if (checked && name != no_deadlock && name != step_limit) out.push_back(name);
  }
  return out;
}

SearchResult search(Executor& executor, const SearchConfig& config) {
  Shared shared;
  if (config.seconds > 0)
    shared.deadline = shared.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(config.seconds));
  auto parts = std::make_shared<Parts>();
  Driver lead(executor, config, shared);
  parts->lead = lead.lead(*parts);
  std::vector<std::string> wanted = wanted_invariants(executor, config);
  if (parts->split && !lead_settles(*parts, config.keep_going, wanted))
    run_tasks(executor, config, shared, lead.prefixes(), *parts);
  SearchResult result = combine(*parts, config.keep_going, wanted, config.reach.size());
  if (config.select) result.parts = parts;  // a shard's answer is the merge's
  result.tasks = lead.prefixes().size();
  result.stats.seconds = std::chrono::duration<double>(Clock::now() - shared.start).count();
  trace_counterexamples(executor, result.counterexamples);
  executor.check_only(config.check.empty() ? executor.invariant_names() : config.check);
  return result;
}

std::vector<std::vector<uint32_t>> task_list(Executor& executor, const SearchConfig& config) {
  std::vector<std::vector<uint32_t>> out;
  if (!config.stateful || !executor.has_state_hash()) return out;
  if (config.strategy != StrategyKind::automatic && config.strategy != StrategyKind::dfs) return out;
  executor.check_only(config.check.empty() ? executor.invariant_names() : config.check);
  executor.observe_reads(config.observe_reads);
  executor.coverage().reset(config.reach);
  SleepCache cut(executor, SleepCache::Cut{cut_depth(executor, config)});
  while (cut.next_execution()) executor.run(cut, {.tracing = false, .keep_going = config.keep_going});
  for (const SleepCache::Prefix& p : cut.prefixes()) out.push_back(SleepCache::decisions(p));
  return out;
}

void trace_counterexamples(Executor& executor, std::vector<Counterexample>& counterexamples) {
  for (Counterexample& c : counterexamples) {
    ReplayOutcome o = replay(executor, c.violation.decisions, c.violation.invariant);
    c.steps = std::move(o.run.trace);
    c.state = std::move(o.run.state);
    c.replays = o.reproduced;
  }
}

ReplayOutcome replay(Executor& executor, const std::vector<uint32_t>& decisions, const std::string& invariant) {
  executor.check_only({invariant});
  Replay strategy(decisions, {.find_cycle = invariant == step_limit});
  strategy.next_execution();
  ReplayOutcome out;
  out.run = executor.run(strategy, {.tracing = true, .keep_going = false});
  out.diverged = strategy.diverged();
  out.reproduced = !out.diverged && out.run.end == RunResult::End::violation &&
                   out.run.violations.size() == 1 && out.run.violations[0].invariant == invariant &&
                   out.run.violations[0].decisions.size() == decisions.size();
  return out;
}

}  // namespace fsmc
