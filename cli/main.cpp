// fsmc: scenario files in, verdicts and counterexample traces out.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/did_you_mean.hpp"
#include "cli/flag_checks.hpp"
#include "cli/search_flags.hpp"
#include "reports/trace_json.hpp"

using namespace fsmc;
using namespace fsmc::cli;

int main(int argc, char** argv) {
  CLI::App app{"fsmc: a deterministic concurrency model checker for kernel filesystem code.\n"
               "Exit codes: 0 pass (or bounded), 1 violation / not as expected, 2 bad input, 3 inconclusive\n"
               "(a cap, an interrupt or running out of memory stopped the search), 70 internal error\n"
               "(a counterexample that does not replay; no trace is written for it)."};
  app.require_subcommand(1);
  app.footer("The operations of a scenario's threads (fsmc list ops prints the same):\n" + ops_help());
  app.set_help_all_flag("--help-all", "help for every subcommand");
  app.set_version_flag("--version",
                       std::string("fsmc ") + FSMC_VERSION + " (trace format " + std::to_string(reports::trace_version) +
                           ", scenario format " + std::to_string(scenario_version) + ")",
                       "print the version of fsmc and of the file formats it reads and writes");

  RunOptions run;
  std::string shard;
  int jobs = 1;
  CLI::App* run_cmd = app.add_subcommand("run", "search each scenario; print a summary; write each violation's trace");
  run_cmd->add_option("FILE", run.files, "scenario files (.json)")->required();
  add_search_flags(*run_cmd, run.search);
  run_cmd->add_option("--jobs", jobs, "accepted for scripts; the search runs on one thread for now")
      ->check(at_least(1, "at least 1 job"))
      ->check(at_most(1024, "at most 1024 jobs"))
      ->type_name("N");
  run_cmd->add_option("--shard", shard, "search slice I of N of the tree (not supported yet)")->type_name("I/N");
  run_cmd->add_option("--out", run.out, "directory for the traces (default fsmc-out)")
      ->check(a_directory())
      ->type_name("DIR");

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "regression gate: every scenario under PATH must match its expect");
  check_cmd->add_option("PATH", check.paths, "scenario files or directories")->required();
  check_cmd->add_option("--junit", check.junit, "write JUnit XML here")->check(a_file())->type_name("FILE");
  CLI::Option* check_out =
      check_cmd->add_option("--out", check.out, "write the trace of every counterexample found here (e.g. for CI artifacts)")
          ->check(a_directory())
          ->type_name("DIR");
  add_search_flags(*check_cmd, check.search)->needs(check_out);

  std::string trace;
  CLI::App* replay_cmd = app.add_subcommand("replay", "re-run a trace's decisions; exit 0 if its violation is reproduced");
  replay_cmd->add_option("TRACE", trace, "a trace written by fsmc run")->required();
  ShowOptions show;
  CLI::App* show_cmd = app.add_subcommand("show", "print a trace as a table, one column per thread");
  show_cmd->add_option("TRACE", show.trace, "a trace written by fsmc run")->required();
  CLI::Option* show_html =
      show_cmd->add_option("--html", show.html, "write a self-contained HTML sequence chart to this file instead")
          ->check(a_file())
          ->type_name("FILE");
  CLI::Option* show_format =
      show_cmd->add_option("--format", show.format, "table (default), or commit: columns at most 75 wide for a commit message")
          ->check(one_of({"table", "commit"}, "table or commit"))
          ->type_name("FORMAT");
  CLI::Option* show_width =
      show_cmd->add_option("--width", show.width, "width of the table's lines (default: COLUMNS, else the terminal's, else 80)")
          ->excludes(show_html)
          ->check(at_least(40, "a width of at least 40"))
          ->check(at_most(100000, "a width of at most 100000"))
          ->type_name("N");
  CLI::Option* show_minimal =
      show_cmd->add_flag("--minimal", show.minimal, "only the steps the violation depends on (see fsmc explain)");
  show_cmd->add_flag("--as-scenario", show.as_scenario,
                     "print a scenario that pins this counterexample (its decisions) and expects its violation")
      ->excludes(show_html)
      ->excludes(show_format)
      ->excludes(show_minimal)
      ->excludes(show_width);

  bool explain_json = false;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "the racing pair of a trace, the lock that would have ordered it, the point of no return");
  explain_cmd->add_option("TRACE", trace, "a trace written by fsmc run")->required();
  explain_cmd->add_flag("--json", explain_json, "print the explanation as JSON");

  std::string matrix_file;
  bool matrix_json = false;
  CLI::App* matrix_cmd = app.add_subcommand("matrix", "run a scenario on every kernel variant, one row each");
  matrix_cmd->add_option("FILE", matrix_file, "a scenario file (.json)")->required();
  matrix_cmd->add_flag("--json", matrix_json, "print the rows as JSON");

  std::string what;
  CLI::App* list_cmd = app.add_subcommand("list", "what the model knows");
  list_cmd->add_option("WHAT", what, "kernels, ops or invariants")
      ->required()
      ->check(one_of({"kernels", "ops", "invariants"}, "kernels, ops or invariants"));

  std::vector<std::string> reports;
  CLI::App* merge_cmd = app.add_subcommand("merge", "combine shard reports (not supported yet)");
  merge_cmd->add_option("REPORT", reports, "shard reports");

  // CLI11 would call a stray word "extra"; name it as the command it meant to be.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
    if (std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      std::string m = std::string("fsmc: unknown command \"") + argv[1] + "\" (expected run, check, replay, show, explain, matrix, list or merge)";
      if (auto near = did_you_mean(argv[1], commands)) m += "; did you mean \"" + *near + "\"?";
      std::cerr << m << "\n";
      return bad_input;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "fsmc: " << e.what() << " (see fsmc --help)\n";
    return bad_input;
  }

  if (*run_cmd) {
    if (!shard.empty()) {
      std::cerr << "fsmc: --shard is not supported yet\n";
      return bad_input;
    }
  }
  // A search that runs out of memory ends as inconclusive in
  // search_scenario; this catches what runs out anywhere else.
  try {
    if (*run_cmd) return run_command(run);
    if (*check_cmd) return check_command(check);
    if (*replay_cmd) return replay_command(trace);
    if (*show_cmd) return show_command(show);
    if (*explain_cmd) return explain_command(trace, explain_json);
    if (*matrix_cmd) return matrix_command(matrix_file, matrix_json);
    if (*list_cmd) return list_command(what);
  } catch (const std::bad_alloc&) {
    std::cerr << "fsmc: out of memory; nothing more could be done (inconclusive)\n";
    return inconclusive;
  } catch (const std::exception& e) {
    std::cerr << "fsmc: internal error: " << e.what() << " (a bug of fsmc: please report it)\n";
    return internal_error;
  }
  std::cerr << "fsmc: merge is not supported yet (there are no shard reports to merge)\n";
  return bad_input;
}
