// Running one scenario file: flags over the file's search settings, the
// search, and its traces written to the output directory.
#pragma once

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
};

// The visited-set cap when --max-memory is not given: half the machine's memory.
uint64_t default_max_memory();

struct Outcome {
  SearchResult result;
  std::vector<std::string> violated;  // sorted names
  std::vector<std::string> traces;    // files written
};

// Applies the overrides to the scenario (kernel) and its search settings.
void apply(const Overrides& o, ScenarioFile& sf);

// The scenario's thread names, in order: the lanes of the trace views.
std::vector<std::string> thread_names(const model::Scenario& scenario);

// `out` empty: write no traces. False when a trace could not be written.
bool search_scenario(const ScenarioFile& sf, bool keep_going, const std::string& out, bool html, Outcome& outcome,
                     std::string& error);

}  // namespace fsmc::cli
