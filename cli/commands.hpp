// The fsmc subcommands; each returns the process exit code of the contract.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/search_scenario.hpp"

namespace fsmc::cli {

// vacuous_found: a search finished with nothing found but missed a reach goal.
// internal_error (EX_SOFTWARE of sysexits.h): fsmc found a counterexample
// that does not replay, a bug of fsmc itself; it writes no trace for it.
enum Exit { ok = 0, violation_found = 1, bad_input = 2, inconclusive = 3, vacuous_found = 4,
            internal_error = 70 };

struct RunOptions {
  std::vector<std::string> files;
  SearchFlags search;
  std::string out = "fsmc-out";
};
int run_command(const RunOptions& o);

struct CheckOptions {
  std::vector<std::string> paths;
  std::string junit;
  std::string out;  // empty: write no traces
  SearchFlags search;
};
int check_command(const CheckOptions& o);

int replay_command(const std::string& trace);
struct ShowOptions {
  std::string trace;
  std::string html;              // write the HTML chart here instead
  std::string format = "table";  // table, or commit: narrow columns for a commit message
  bool minimal = false;          // only the steps the violation depends on
  bool as_scenario = false;      // print a scenario that pins the counterexample
  std::optional<std::size_t> width;  // of the table's lines (default: the terminal's)
};
int show_command(const ShowOptions& o);
int explain_command(const std::string& trace, bool json);
int matrix_command(const std::string& file, bool json);
int list_command(const std::string& what);
// The ops of a scenario with their fields, as `fsmc list ops` and `fsmc --help` print them.
std::string ops_help();

}  // namespace fsmc::cli
