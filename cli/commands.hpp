// The fsmc subcommands; each returns the process exit code of the contract.
#pragma once

#include <string>
#include <vector>

#include "cli/search_scenario.hpp"

namespace fsmc::cli {

// internal_error (EX_SOFTWARE of sysexits.h): fsmc found a counterexample
// that does not replay, a bug of fsmc itself; it writes no trace for it.
enum Exit { ok = 0, violation_found = 1, bad_input = 2, inconclusive = 3, internal_error = 70 };

struct RunOptions {
  std::vector<std::string> files;
  Overrides overrides;
  std::string out = "fsmc-out";
  bool html = false;
  bool json = false;
};
int run_command(const RunOptions& o);

struct CheckOptions {
  std::vector<std::string> paths;
  std::string junit;
  std::string out;  // empty: write no traces
};
int check_command(const CheckOptions& o);

int replay_command(const std::string& trace);
int show_command(const std::string& trace, const std::string& html);
int list_command(const std::string& what);

}  // namespace fsmc::cli
