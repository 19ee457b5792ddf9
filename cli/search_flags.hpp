// The search flags `fsmc run` and `fsmc check` share, defined once so that
// both take them with the same names, checks and help.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/search_scenario.hpp"

namespace fsmc::cli {

// Registers --kernel, --strategy, --preemptions, --max-executions, --seconds,
// --max-memory, --jobs, --seed, --stateful/--stateless, --html and --json on `cmd`;
// returns the --html option (check makes it need --out).
CLI::Option* add_search_flags(CLI::App& cmd, SearchFlags& flags);

// A flag the scenario's strategy would ignore, as the line to print; such a
// flag is a mistake to point out, not to drop.
std::optional<std::string> ignored_flag(const Overrides& o, const ScenarioFile& sf);

}  // namespace fsmc::cli
