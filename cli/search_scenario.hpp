// Running one scenario file: flags over the file's search settings, the
// search, and its traces written to the output directory.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "cli/scenario_file.hpp"

namespace fsmc::cli {

struct Overrides {
  std::optional<std::string> kernel;
  std::optional<StrategyKind> strategy;
  std::optional<int> preemptions;
  std::optional<uint64_t> max_executions;
  std::optional<double> seconds;
  std::optional<uint64_t> seed;
  std::optional<bool> stateful;  // --stateful / --stateless
  std::optional<uint64_t> max_memory_mib;  // default: half the machine's memory
  std::optional<uint32_t> jobs;            // default: every core
};

// What `run` and `check` take from their flags (cli/search_flags.hpp).
struct SearchFlags {
  Overrides overrides;
  bool html = false;  // an HTML chart beside each trace
  bool json = false;  // the summary as JSON on stdout, the human one on stderr
};

struct Outcome;

// Prints an outcome's internal error and write error, if any, on stderr.
struct OutcomeErrors {
  bool internal = false;  // a counterexample did not replay
  bool write = false;     // a trace could not be written
};
OutcomeErrors print_errors(const Outcome& o);

// The visited-set cap when --max-memory is not given: half the machine's memory.
uint64_t default_max_memory();
// The workers when --jobs is not given: one per core.
uint32_t default_jobs();

// A scenario file's path as traces and shard reports name it: relative to
// where fsmc runs, so that no path of the machine that wrote them leaks in.
std::string portable_path(const std::string& path);

struct Outcome {
  SearchResult result;
  std::vector<std::string> violated;  // sorted names
  std::vector<std::string> traces;    // files written
  std::vector<std::string> charts;    // HTML charts written beside them
  bool out_of_memory = false;         // the search ran out of memory (its result is inconclusive)
  std::string write_error;            // a trace could not be written: the line to print after the verdict
  std::string internal_error;         // a counterexample did not replay: no trace written for it
  std::vector<std::string> notes;     // lines for stderr that change no verdict
};

// The summary of one scenario's outcome as `run --json` prints it.
nlohmann::ordered_json summary_json(const ScenarioFile& sf, const Outcome& outcome);

// ", N states cached (collision odds P)" for a search that cached states
// (P: collision_odds), else "".
std::string states_cached(const SearchResult& r);
// The line that says a result's counts vary from run to run (several
// workers shared its states), or "" when they are the same every run.
std::string counts_vary_line(const SearchResult& r);

// Applies the overrides to the scenario (kernel) and its search settings.
void apply(const Overrides& o, ScenarioFile& sf);

// The scenario's thread names, in order: the lanes of the trace views.
std::vector<std::string> thread_names(const model::Scenario& scenario);

// Searches the scenario (stopping early when `interrupt` is set) and writes
// a trace for each counterexample into `out` (empty: none), creating it for
// the first. Output problems are reported in the outcome, after the verdict.
// `progress`: a progress line on stderr when it is a terminal (not while
// other scenarios are searched at once).
Outcome search_scenario(const ScenarioFile& sf, bool keep_going, const std::string& out, bool html,
                        const std::atomic<bool>* interrupt, bool progress = true);

// The second half of search_scenario: a trace for each counterexample of
// `outcome.result` that replays; one that does not is an internal error.
void write_traces(const ScenarioFile& sf, const std::string& out, bool html, Outcome& outcome);

}  // namespace fsmc::cli
