// Reading a scenario file (docs/scenario-format.md) into the model's
// Scenario plus the search settings and the expectation, with one clear
// message for anything wrong in it.
#pragma once

#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "model/scenario.hpp"
#include "search/search.hpp"

namespace fsmc::cli {

// The format version a scenario file's "fsmc" field must hold.
inline constexpr int scenario_version = 1;

// "FILE: JSON.PATH: expected ..., got ..."
struct InputError {
  std::string message;
  bool is_trace = false;  // the file is a trace (fsmc check skips those)
};

// Larger than any scenario within the contract's limits could be.
inline constexpr std::size_t max_scenario_bytes = 1 << 20;

struct Expect {
  bool given = false;
  std::string verdict;               // pass, violation, bounded, vacuous
  std::set<std::string> invariants;  // for violation
};

struct ScenarioFile {
  std::string path;            // as given on the command line
  nlohmann::ordered_json json; // the file as read, embedded in traces
  model::Scenario scenario;
  SearchConfig search;         // the file's search settings (flags override them later)
  Expect expect;
};

// Parses and validates; on error returns the message and nothing else.
std::optional<ScenarioFile> read_scenario(const std::string& path, InputError& error);
std::optional<ScenarioFile> parse_scenario(const std::string& path, const std::string& text, InputError& error);
std::optional<ScenarioFile> parse_scenario(const std::string& path, const nlohmann::ordered_json& json,
                                           InputError& error);

// Traces are named after the scenario, so two different files whose traces
// go to one directory may not share a name.
std::optional<InputError> name_clash(const std::vector<ScenarioFile>& files);

}  // namespace fsmc::cli
