// fsmc run: search each scenario, print a summary, write the traces.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"

namespace fsmc::cli {

namespace {

std::string stopped_because(StopReason reason) {
  switch (reason) {
    case StopReason::max_executions: return "the execution cap stopped the search before it finished; raise --max-executions";
    case StopReason::seconds: return "the time cap stopped the search before it finished; raise --seconds";
    case StopReason::memory: return "the visited states outgrew the memory cap before the search finished; raise --max-memory";
    case StopReason::interrupt: return "interrupted before the search finished";
    default: return "a cap stopped the search before it finished";
  }
}

std::string summary(const ScenarioFile& sf, const Outcome& o) {
  const SearchResult& r = o.result;
  char states[64] = "";
  if (r.stateful)
    std::snprintf(states, sizeof states, ", %llu states cached", static_cast<unsigned long long>(r.stats.states));
  char stats[224];
  std::snprintf(stats, sizeof stats, "%llu executions%s, %s, %.2f s", static_cast<unsigned long long>(r.stats.executions),
                states, r.exhaustive ? "exhaustive" : "not exhaustive", r.stats.seconds);
  std::string line = sf.scenario.name + " [" + sf.scenario.kernel + "]: " + std::string(to_string(r.verdict));
  if (r.verdict == Verdict::violation) {
    line += " of";
    for (const std::string& i : o.violated) line += " " + i;
  }
  line += " (" + std::string(stats) + ")\n";
  for (const Counterexample& c : r.counterexamples)
    line += "  " + c.violation.invariant + ": " + c.violation.message + " (" + std::to_string(c.steps.size()) +
            " steps, " + std::to_string(c.violation.preemptions) +
            (c.violation.preemptions == 1 ? " preemption)\n" : " preemptions)\n");
  for (const std::string& t : o.traces) line += "  trace: " + t + "\n";
  if (r.verdict == Verdict::bounded) line += "  no violation within the bound; this is not a proof\n";
  if (r.verdict == Verdict::inconclusive) line += "  " + stopped_because(r.stopped_by) + "\n";
  return line;
}

}  // namespace

int run_command(const RunOptions& o) {
  // Read everything first: bad input stops the run before anything is written.
  std::vector<ScenarioFile> files;
  bool bad = false;
  for (const std::string& path : o.files) {
    InputError error;
    if (auto sf = read_scenario(path, error)) {
      apply(o.overrides, *sf);
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

  int exit = ok;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const ScenarioFile& sf : files) {
    Outcome outcome;
    std::string error;
    if (!search_scenario(sf, false, o.out, o.html, outcome, error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
    (o.json ? std::cerr : std::cout) << summary(sf, outcome);
    const SearchResult& r = outcome.result;
    all.push_back({{"scenario", sf.scenario.name},
                   {"kernel", sf.scenario.kernel},
                   {"verdict", to_string(r.verdict)},
                   {"invariants", outcome.violated},
                   {"executions", r.stats.executions},
                   {"exhaustive", r.exhaustive},
                   {"seconds", r.stats.seconds},
                   {"traces", outcome.traces}});
    if (r.stateful) all.back()["states"] = r.stats.states;
    if (r.verdict == Verdict::violation) exit = violation_found;
    else if (r.verdict == Verdict::inconclusive && exit == ok) exit = inconclusive;
  }
  if (o.json) std::cout << (all.size() == 1 ? all[0] : all).dump(2) << "\n";
  return exit;
}

}  // namespace fsmc::cli
