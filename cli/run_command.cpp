// fsmc run: search each scenario, print a summary, write the traces.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/coverage_report.hpp"
#include "cli/interrupt.hpp"
#include "cli/search_flags.hpp"
#include "reports/atomic_file.hpp"

namespace fsmc::cli {

namespace {

std::string stopped_because(StopReason reason) {
  switch (reason) {
    case StopReason::max_executions: return "the execution cap stopped the search before it finished; raise --max-executions";
    case StopReason::seconds: return "the time cap stopped the search before it finished; raise --seconds";
    case StopReason::memory: return "the visited states outgrew the memory cap before the search finished; raise --max-memory";
    case StopReason::states:
      return "the search stored its most states (" + std::to_string(max_states) +
             ") before it finished: past them a collision of their 64-bit keys could hide a state with odds above 1 in "
             "100, and a pass would not be a proof";
    case StopReason::interrupt: return "interrupted before the search finished";
    default: return "a cap stopped the search before it finished";
  }
}

}  // namespace

std::string run_summary(const ScenarioFile& sf, const Outcome& o) {
  const SearchResult& r = o.result;
  char stats[224];
  std::snprintf(stats, sizeof stats, "%llu executions%s, %s, %.2f s", static_cast<unsigned long long>(r.stats.executions),
                states_cached(r).c_str(), r.exhaustive ? "exhaustive" : "not exhaustive", r.stats.seconds);
  std::string line = sf.scenario.name + " [" + sf.scenario.kernel + "]: " + std::string(to_string(r.verdict));
  if (r.verdict == Verdict::violation) {
    line += " of";
    for (const std::string& i : o.violated) line += " " + i;
  }
  line += " (" + std::string(stats) + ")\n" + counts_vary_line(r);
  for (const Counterexample& c : r.counterexamples)
    line += "  " + c.violation.invariant + ": " + c.violation.message + " (" + std::to_string(c.steps.size()) +
            " steps, " + std::to_string(c.violation.preemptions) +
            (c.violation.preemptions == 1 ? " preemption)\n" : " preemptions)\n");
  for (const std::string& t : o.traces) line += "  trace: " + t + "\n";
  for (const std::string& c : o.charts) line += "  chart: " + c + "\n";
  if (r.verdict == Verdict::bounded) line += "  no violation within the bound; this is not a proof\n";
  if (o.out_of_memory)
    line += "  the search ran out of memory before it finished; what it had found is lost (give it more memory)\n";
  else if (r.verdict == Verdict::inconclusive)
    line += "  " + stopped_because(r.stopped_by) + "\n";
  return line + coverage_text(sf.search.reach, r);
}

int verdict_exit(Verdict verdict) {
  switch (verdict) {
    case Verdict::violation: return violation_found;
    case Verdict::inconclusive: return inconclusive;
    case Verdict::vacuous: return vacuous_found;
    default: return ok;
  }
}

int run_command(const RunOptions& o) {
  // Read everything first: bad input stops the run before anything is written.
  std::vector<ScenarioFile> files;
  bool bad = false;
  for (const std::string& path : o.files) {
    InputError error;
    if (auto sf = read_scenario(path, error)) {
      apply(o.search.overrides, *sf);
      if (auto why = ignored_flag(o.search.overrides, *sf)) {
        std::cerr << "fsmc: " << *why << "\n";
        return bad_input;
      }
      files.push_back(std::move(*sf));
    } else {
      std::cerr << error.message << "\n";
      bad = true;
    }
  }
  if (auto clash = name_clash(files)) {
    std::cerr << clash->message << "\n";
    bad = true;
  }
  if (bad) return bad_input;

  // Before the search: a wrong --out must not cost the search.
  if (auto problem = reports::directory_target_problem(o.out)) {
    std::cerr << "fsmc: --out " << *problem << "\n";
    return bad_input;
  }

  if (!o.shard.empty() || o.task) return run_split(o, files);

  const std::atomic<bool>* interrupt = interrupt_flag();
  int exit = ok;
  bool failed_write = false, failed_replay = false;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const ScenarioFile& sf : files) {
    Outcome outcome = search_scenario(sf, false, o.out, o.search.html, interrupt);
    (o.search.json ? std::cerr : std::cout) << run_summary(sf, outcome) << std::flush;
    for (const std::string& note : outcome.notes) std::cerr << "fsmc: " << note << "\n";
    all.push_back(summary_json(sf, outcome));
    const SearchResult& r = outcome.result;
    if (r.verdict == Verdict::violation) exit = violation_found;
    else if (r.verdict == Verdict::inconclusive && exit != violation_found) exit = inconclusive;
    else if (r.verdict == Verdict::vacuous && exit == ok) exit = vacuous_found;
    OutcomeErrors errors = print_errors(outcome);
    failed_replay |= errors.internal;
    if (errors.write) {
      failed_write = true;
      break;
    }
    if (interrupt->load() || outcome.out_of_memory) break;  // the scenarios after it are not started
  }
  // One object for one scenario, an array for several (even when an interrupt cut the run short).
  if (o.search.json) std::cout << (files.size() == 1 ? all[0] : all).dump(2) << "\n";
  if (failed_replay) return internal_error;
  if (failed_write) return bad_input;
  return exit;
}

}  // namespace fsmc::cli
