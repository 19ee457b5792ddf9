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
  std::string shard;                    // --shard I/N or auto
  std::optional<uint32_t> shard_count;  // --shard-count: N for --shard auto from JOB_COMPLETION_INDEX
  std::optional<uint32_t> task;         // --task: only this task
};
int run_command(const RunOptions& o);
// run --shard / --task, once the files are read and --out checked (split_commands.cpp).
int run_split(const RunOptions& o, std::vector<ScenarioFile>& files);
// run's summary of one scenario's outcome, as merge prints it too.
std::string run_summary(const ScenarioFile& sf, const Outcome& o);
// The exit code of one outcome's verdict.
int verdict_exit(Verdict verdict);

// fsmc tasks: the tasks the exhaustive search of each file splits into.
int tasks_command(const std::vector<std::string>& files, const SearchFlags& flags);

struct MergeOptions {
  std::vector<std::string> reports;
  std::string out = "fsmc-out";
  bool json = false;
  bool html = false;
};
int merge_command(const MergeOptions& o);

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
