#include "search/search.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "search/parallel.hpp"
#include "search/pct.hpp"
#include "search/replay.hpp"

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
    case StopReason::states: return "states";
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
  bool prepared = false;  // its next execution is set up (next_execution() said so) but not run: a budget stopped it
  uint64_t steps = 0;     // steps it has taken
};

Phase make_phase(StrategyKind kind, const SearchConfig& c, const Executor& e) { return {kind, entry(kind).make(c, e)}; }

class Driver {
 public:
  Driver(Executor& e, const SearchConfig& c) : exec_(e), config_(c), start_(Clock::now()) {
    if (c.seconds > 0)
      deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(c.seconds));
  }

  SearchResult run() {
    start_search();
    bool finished = false;  // the last phase ran to its end
    bool exhaustive = false;
    if (config_.schedule) {
      Phase pinned{config_.strategy, std::make_unique<Replay>(*config_.schedule)};
      finished = run_phase(pinned);
    } else if (config_.strategy == StrategyKind::automatic) {
      Phase trial{StrategyKind::dfs, nullptr};
      if (proof_trial(finished, trial)) exhaustive = finished;
      else run_auto(finished, exhaustive, trial);
    } else if (config_.strategy == StrategyKind::dfs && split()) {
      finished = run_proof(StrategyKind::dfs);
      exhaustive = finished;
    } else {
      Phase p = make_phase(config_.strategy, config_, exec_);
      finished = run_phase(p);
      exhaustive = finished && p.strategy->exhaustive();
    }
    result_.exhaustive = exhaustive;
    result_.finished = finished || (config_.keep_going && all_found());
    result_.stats.seconds = elapsed();
    if (!result_.counterexamples.empty()) result_.verdict = Verdict::violation;
    else if (!finished) result_.verdict = Verdict::inconclusive;
    else result_.verdict = exhaustive ? Verdict::pass : Verdict::bounded;
    result_.steps_reached = exec_.coverage().reached();
    result_.goals_met = exec_.coverage().goals_met();
    add_reached(result_.steps_reached, workers_reached_);
    add_goals_met(result_.goals_met, workers_goals_);
    bool all_met = std::find(result_.goals_met.begin(), result_.goals_met.end(), false) == result_.goals_met.end();
    if (result_.verdict == Verdict::pass && !all_met) result_.verdict = Verdict::vacuous;
    trace_counterexamples();
    exec_.check_only(config_.check.empty() ? exec_.invariant_names() : config_.check);
    return std::move(result_);
  }

  // What auto's bounded rounds found, run on their own executor (run_beside).
  struct Rounds {
    bool finished = false;
    bool exhaustive = false;
    bool violation = false;
    SearchResult result;  // counted on from the trial's counts
    std::vector<std::string> reached;
    std::vector<bool> goals_met;
    // They settle the search: it ends here on one core, the proof never runs.
    bool decided() const { return violation || !finished || exhaustive; }
  };
  Rounds rounds_alone(const SearchStats& before) {
    start_search();
    result_.stats = before;
    Rounds r;
    run_rounds(r.finished, r.exhaustive);
    r.violation = stop_;
    r.result = std::move(result_);
    r.reached = exec_.coverage().reached();
    r.goals_met = exec_.coverage().goals_met();
    return r;
  }

 private:
  void start_search() {
    exec_.check_only(config_.check.empty() ? exec_.invariant_names() : config_.check);
    exec_.observe_reads(config_.observe_reads);
    exec_.coverage().reset(config_.reach);
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  bool interrupted() const {
    return (config_.interrupt && config_.interrupt->load(std::memory_order_relaxed)) ||
           (cancel_ && cancel_->load(std::memory_order_relaxed));
  }

  // Runs the phase; true when its strategy finished (not stopped by a cap or
  // a violation). Past `budget` steps of its own it stops, setting *spent.
  bool run_phase(Phase& phase, uint64_t budget = UINT64_MAX, bool* spent = nullptr) {
    uint64_t first = result_.stats.steps;
    Strategy& s = *phase.strategy;
    bool capped = false;
    while (!stop_) {
      // First: a search that ends exactly at a cap has finished.
      if (!std::exchange(phase.prepared, false) && !s.next_execution()) break;
      if (result_.stats.steps - first >= budget) {
        phase.prepared = true;
        phase.steps += result_.stats.steps - first;
        *spent = true;
        return false;
      }
      StopReason cap = StopReason::none;
      if (result_.stats.executions >= config_.max_executions) cap = StopReason::max_executions;
      else if (interrupted()) cap = StopReason::interrupt;
      else if (config_.seconds > 0 && Clock::now() >= deadline_) cap = StopReason::seconds;
      else if (config_.max_memory > 0 && s.memory() > config_.max_memory) cap = StopReason::memory;
      else if ((result_.stats.executions & 255) == 0 && s.stats().states > static_cast<int64_t>(config_.max_states))
        cap = StopReason::states;
      if (cap != StopReason::none) {
        result_.stopped_by = cap;
        capped = true;
        break;
      }
      if ((result_.stats.executions & 255) == 0 && config_.progress) {
        StrategyStats now = s.stats();
        config_.progress({result_.stats.executions, elapsed(), phase.kind, now.bound, now.states, now.explored});
      }
      const RunResult& r = exec_.run(s, {.tracing = false, .keep_going = config_.keep_going,
                                         .interrupt = config_.interrupt, .deadline = deadline_});
      if (r.end == RunResult::End::stopped) {
        result_.stopped_by = interrupted() ? StopReason::interrupt : StopReason::seconds;
        capped = true;
        break;
      }
      ++result_.stats.executions;
      result_.stats.steps += r.steps;
      result_.stats.max_depth = std::max(result_.stats.max_depth, r.steps);
      result_.stats.pruned += r.end == RunResult::End::pruned && r.violations.empty();
      for (const Violation& v : r.violations) result_.counterexamples.push_back({v, {}, {}});
      if (!r.violations.empty() && (!config_.keep_going || all_found())) {
        stop_ = true;
        result_.stopped_by = StopReason::violation;
      }
    }
    phase.steps += result_.stats.steps - first;
    StrategyStats last = s.stats();
    if (last.bound >= 0) result_.stats.bound = last.bound;
    if (last.states >= 0) {
      result_.stateful = true;
      result_.stats.states = static_cast<uint64_t>(last.states);
      if (!stop_ && !capped && result_.stats.states > config_.max_states) {  // ended within the last checks' interval
        result_.stopped_by = StopReason::states;
        capped = true;
      }
    }
    return !stop_ && !capped;
  }

  // auto: shallow bugs first, with the fewest preemptions — within a
  // budget, so that the proof starts soon however wide the program is.
  // `trial`: proof_trial's search, to go on with if it can.
  void run_auto(bool& finished, bool& exhaustive, Phase& trial) {
    if (trial.strategy && split() && !config_.select) return run_beside(finished, exhaustive, trial);
    run_rounds(finished, exhaustive);
    if (finished && !exhaustive && !stop_) {
      // The stateful search explores every state with sleep sets (sleep_cache.hpp).
      bool cached = config_.stateful && exec_.has_state_hash();
      finished = trial.strategy ? run_proof(std::move(trial)) : run_proof(cached ? StrategyKind::dfs : StrategyKind::dpor);
      exhaustive = finished;
    }
  }

  void run_rounds(bool& finished, bool& exhaustive) {
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
  }

  // auto with several workers, once the trial has left the proof to go on
  // with: the bounded rounds run on an executor and a thread of their own
  // while the proof goes on, instead of before it on the only core busy.
  // The answer is the one of running them in turn: when the rounds settle
  // the search (a violation, a cap, or every execution covered), theirs,
  // counted as on one core (the proof is cancelled and what it did is not
  // counted) — unless a cap stopped them after the proof found a violation,
  // which is not thrown away; otherwise the proof's, with the rounds'
  // counts and steps reached added.
  void run_beside(bool& finished, bool& exhaustive, Phase& trial) {
    SearchResult after_trial = result_;
    Coverage trial_coverage = exec_.coverage();
    SearchConfig rounds_config = config_;
    rounds_config.progress = nullptr;  // the proof's progress is drawn
    Executor rounds_exec(exec_.program(), exec_.options());
    std::atomic<bool> cancel{false};
    Rounds rounds;
    std::exception_ptr failure;
    std::thread beside([&] {
      try {
        rounds = Driver(rounds_exec, rounds_config).rounds_alone(after_trial.stats);
        if (rounds.decided()) cancel = true;
      } catch (...) {
        failure = std::current_exception();
        cancel = true;
      }
    });
    cancel_ = &cancel;
    bool proof_finished = false;
    try {
      proof_finished = run_proof(std::move(trial));
    } catch (...) {
      cancel = true;
      beside.join();
      throw;
    }
    beside.join();
    cancel_ = nullptr;
    if (failure) std::rethrow_exception(failure);
    bool capped_after_proof_found = !rounds.violation && !rounds.finished && !result_.counterexamples.empty();
    if (rounds.decided() && !capped_after_proof_found) {
      result_ = std::move(after_trial);
      exec_.coverage() = std::move(trial_coverage);
      workers_reached_.clear();
      workers_goals_.clear();
      result_.stats = rounds.result.stats;
      result_.stopped_by = rounds.result.stopped_by;
      result_.counterexamples = std::move(rounds.result.counterexamples);
      stop_ = rounds.violation;
      finished = rounds.finished;
      exhaustive = rounds.exhaustive;
    } else {
      const SearchStats& r = rounds.result.stats;
      result_.stats.executions += r.executions - after_trial.stats.executions;
      result_.stats.steps += r.steps - after_trial.stats.steps;
      result_.stats.pruned += r.pruned - after_trial.stats.pruned;
      result_.stats.max_depth = std::max(result_.stats.max_depth, r.max_depth);
      finished = proof_finished;
      exhaustive = proof_finished;
    }
    result_.rounds_beside = true;
    if (rounds.result.stats.bound >= 0) result_.stats.bound = rounds.result.stats.bound;
    add_reached(workers_reached_, rounds.reached);
    add_goals_met(workers_goals_, rounds.goals_met);
  }

  // auto, before its bounded rounds: the stateful proof on one core for at
  // most SearchConfig::trial_steps. True when that decided the search — it
  // proved the program (sets finished) or a cap stopped it. Otherwise, when
  // its budget stopped it, the trial is left in `resume` for the proof
  // after the bounded rounds to go on with. A violation it finds is set
  // aside: the bounded rounds report the one with the fewest preemptions,
  // and the proof after them meets this one again.
  bool proof_trial(bool& finished, Phase& resume) {
    if (config_.trial_steps == 0 || config_.keep_going || !config_.stateful || !exec_.has_state_hash())
      return false;
    uint64_t unchecked = exec_.unchecked();
    Phase trial = make_phase(StrategyKind::dfs, config_, exec_);
    bool spent = false;
    finished = run_phase(trial, config_.trial_steps, &spent);
    // A shard goes on to its tasks even so: the shards' counts before their
    // split must be the serial search's, whose traces carry them.
    if (finished && !config_.select) return true;
    if (!finished && !stop_ && !spent) return true;  // a cap
    if (stop_) {  // a violation, set aside
      result_.counterexamples.clear();
      result_.stopped_by = StopReason::none;
      stop_ = false;
      exec_.set_unchecked(unchecked);
    } else if (spent && !config_.select) {
      resume = std::move(trial);
    }
    result_.stateful = false;
    result_.stats.states = 0;
    return false;
  }

  // The exhaustive phase: on one core, or split over the workers when it
  // runs long enough to pay for them (SearchConfig::serial_steps).
  bool run_proof(StrategyKind kind) { return run_proof(make_phase(kind, config_, exec_)); }

  // ... going on with `full`, a search of that kind started before (the
  // trial). The executor's saved states are another phase's by then: its
  // next execution replays its path from the initial state.
  bool run_proof(Phase full) {
    exec_.forget_saved_states();
    if (!split()) return run_phase(full);
    if (config_.select || config_.keep_going) return run_split(full, nullptr);
    // The trial's steps count toward the serial start: it is one already.
    bool spent = false;
    bool finished = run_phase(full, config_.serial_steps - std::min(full.steps, config_.serial_steps), &spent);
    if (!spent) return finished;
    // What the serial start explored, the workers need not (split() holds:
    // the stateful search is a SleepCache).
    Phase serial = make_phase(full.kind, config_, exec_);
    bool cached = full.kind == StrategyKind::dfs;
    return run_split(serial, cached ? static_cast<const SleepCache*>(full.strategy.get()) : nullptr);
  }

  // The stateful search on several workers, or a shard's share of it.
  bool split() const {
    return (config_.jobs > 1 || config_.select) && config_.stateful && exec_.has_state_hash() && !config_.schedule;
  }

  // The exhaustive phase split into tasks for workers (parallel.hpp). Which
  // violation they find first depends on timing, so when they find one, the
  // phase is run again as `serial` — the serial search's answer, whatever
  // the number of workers or shards. A pass needs no second run.
  bool run_split(Phase& serial, const SleepCache* serial_start) {
    uint64_t unchecked = exec_.unchecked();
    Coverage coverage = exec_.coverage();
    result_.before_split = result_.stats;
    ParallelOutcome o = search_parallel(exec_, config_, {result_.stats.executions, deadline_, start_, serial_start, cancel_});
    result_.tasks = o.tasks;
    if (o.end == ParallelOutcome::End::violation) {
      exec_.set_unchecked(unchecked);
      exec_.coverage() = coverage;
      result_.serial_rerun = true;
      return run_phase(serial);
    }
    result_.stats.executions += o.stats.executions;
    result_.stats.steps += o.stats.steps;
    result_.stats.pruned += o.stats.pruned;
    result_.stats.max_depth = std::max(result_.stats.max_depth, o.stats.max_depth);
    result_.stats.states = o.stats.states;
    result_.stateful = true;
    result_.workers = o.workers;
    workers_reached_ = std::move(o.reached);
    workers_goals_ = std::move(o.goals_met);
    if (o.end == ParallelOutcome::End::capped) {
      result_.stopped_by = o.stopped_by;
      return false;
    }
    return true;
  }

  bool all_found() const {
    for (const std::string& name : exec_.invariant_names())
      if (exec_.checked(name) && name != no_deadlock && name != step_limit) return false;
    return true;
  }

  void trace_counterexamples() { fsmc::trace_counterexamples(exec_, result_.counterexamples); }

  Executor& exec_;
  const SearchConfig& config_;
  Clock::time_point start_;
  Clock::time_point deadline_ = Clock::time_point::max();
  SearchResult result_;
  bool stop_ = false;
  const std::atomic<bool>* cancel_ = nullptr;  // run_beside's: the rounds beside settled the search
  std::vector<std::string> workers_reached_;  // step ids the workers of a split phase reached
  std::vector<bool> workers_goals_;
};

}  // namespace

SearchResult search(Executor& executor, const SearchConfig& config) { return Driver(executor, config).run(); }

void trace_counterexamples(Executor& executor, std::vector<Counterexample>& counterexamples) {
  for (Counterexample& c : counterexamples) {
    ReplayOutcome o = replay(executor, c.violation.decisions, c.violation.invariant);
    c.steps = std::move(o.run.trace);
    c.state = std::move(o.run.state);
    c.replays = o.reproduced;
  }
}

std::vector<std::vector<uint32_t>> task_list(Executor& executor, const SearchConfig& config) {
  std::vector<std::vector<uint32_t>> out;
  bool stateful_proof = config.strategy == StrategyKind::automatic || config.strategy == StrategyKind::dfs;
  if (!stateful_proof || !config.stateful || !executor.has_state_hash() || config.schedule) return out;
  executor.check_only(config.check.empty() ? executor.invariant_names() : config.check);
  executor.observe_reads(config.observe_reads);
  executor.coverage().reset(config.reach);  // windowed goals are part of the states and of the reduction
  for (const SleepCache::Task& t : cut_tasks(executor).tasks) out.push_back(SleepCache::decisions(t.prefix));
  return out;
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
