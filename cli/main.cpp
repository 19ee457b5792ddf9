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

namespace {

// Everything the command line can ask for, filled in by CLI11's parse.
struct Request {
  RunOptions run;
  CheckOptions check;
  std::vector<std::string> task_files;  // tasks
  SearchFlags task_flags;
  MergeOptions merge;
  std::string trace;  // replay, explain
  ShowOptions show;
  bool explain_json = false;
  std::string matrix_file;
  bool matrix_json = false;
  std::string what;  // list
  CLI::App* run_cmd = nullptr;
  CLI::App* check_cmd = nullptr;
  CLI::App* replay_cmd = nullptr;
  CLI::App* show_cmd = nullptr;
  CLI::App* explain_cmd = nullptr;
  CLI::App* matrix_cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* tasks_cmd = nullptr;
  CLI::App* merge_cmd = nullptr;
};

void add_search_commands(CLI::App& app, Request& q) {
  q.run_cmd = app.add_subcommand("run", "search each scenario; print a summary; write each violation's trace");
  q.run_cmd->add_option("FILE", q.run.files, "scenario files (.json)")->required();
  add_search_flags(*q.run_cmd, q.run.search);
  CLI::Option* shard = q.run_cmd
      ->add_option("--shard", q.run.shard,
                   "search only shard I (from 0) of N of the tasks and write a shard report for fsmc merge; auto: I "
                   "and N from Slurm's SLURM_ARRAY_TASK_ID/COUNT or Kubernetes' JOB_COMPLETION_INDEX")
      ->type_name("I/N|auto");
  q.run_cmd->add_option("--shard-count", q.run.shard_count, "N for --shard auto from JOB_COMPLETION_INDEX")
      ->needs(shard)
      ->check(at_least(1, "at least 1 shard"))
      ->type_name("N");
  q.run_cmd->add_option("--task", q.run.task, "search only this task (fsmc tasks lists them)")
      ->excludes(shard)
      ->type_name("ID");
  q.run_cmd->add_option("--out", q.run.out, "directory for the traces (default fsmc-out)")
      ->check(a_directory())
      ->type_name("DIR");

  q.check_cmd = app.add_subcommand("check", "regression gate: every scenario under PATH must match its expect");
  q.check_cmd->add_option("PATH", q.check.paths, "scenario files or directories")->required();
  q.check_cmd->add_option("--junit", q.check.junit, "write JUnit XML here")->check(a_file())->type_name("FILE");
  CLI::Option* check_out =
      q.check_cmd->add_option("--out", q.check.out, "write the trace of every counterexample found here (e.g. for CI artifacts)")
          ->check(a_directory())
          ->type_name("DIR");
  add_search_flags(*q.check_cmd, q.check.search)->needs(check_out);
}

void add_trace_commands(CLI::App& app, Request& q) {
  q.replay_cmd = app.add_subcommand("replay", "re-run a trace's decisions; exit 0 if its violation is reproduced");
  q.replay_cmd->add_option("TRACE", q.trace, "a trace written by fsmc run")->required();
  q.show_cmd = app.add_subcommand("show", "print a trace as a table, one column per thread");
  q.show_cmd->add_option("TRACE", q.show.trace, "a trace written by fsmc run")->required();
  CLI::Option* show_html =
      q.show_cmd->add_option("--html", q.show.html, "write a self-contained HTML sequence chart to this file instead")
          ->check(a_file())
          ->type_name("FILE");
  CLI::Option* show_format =
      q.show_cmd->add_option("--format", q.show.format, "table (default), or commit: columns at most 75 wide for a commit message")
          ->check(one_of({"table", "commit"}, "table or commit"))
          ->type_name("FORMAT");
  CLI::Option* show_width =
      q.show_cmd->add_option("--width", q.show.width, "width of the table's lines (default: COLUMNS, else the terminal's, else 80)")
          ->excludes(show_html)
          ->check(at_least(40, "a width of at least 40"))
          ->check(at_most(100000, "a width of at most 100000"))
          ->type_name("N");
  CLI::Option* show_minimal =
      q.show_cmd->add_flag("--minimal", q.show.minimal, "only the steps the violation depends on (see fsmc explain)");
  q.show_cmd->add_flag("--as-scenario", q.show.as_scenario,
                       "print a scenario that pins this counterexample (its decisions) and expects its violation")
      ->excludes(show_html)
      ->excludes(show_format)
      ->excludes(show_minimal)
      ->excludes(show_width);

  q.explain_cmd = app.add_subcommand(
      "explain", "the racing pair of a trace, the lock that would have ordered it, the point of no return");
  q.explain_cmd->add_option("TRACE", q.trace, "a trace written by fsmc run")->required();
  q.explain_cmd->add_flag("--json", q.explain_json, "print the explanation as JSON");
}

void add_model_commands(CLI::App& app, Request& q) {
  q.matrix_cmd = app.add_subcommand("matrix", "run a scenario on every kernel variant, one row each");
  q.matrix_cmd->add_option("FILE", q.matrix_file, "a scenario file (.json)")->required();
  q.matrix_cmd->add_flag("--json", q.matrix_json, "print the rows as JSON");

  q.list_cmd = app.add_subcommand("list", "what the model knows");
  q.list_cmd->add_option("WHAT", q.what, "kernels, ops or invariants")
      ->required()
      ->check(one_of({"kernels", "ops", "invariants"}, "kernels, ops or invariants"));

  q.tasks_cmd = app.add_subcommand("tasks", "the tasks each scenario's exhaustive search splits into, one line each");
  q.tasks_cmd->add_option("FILE", q.task_files, "scenario files (.json)")->required();
  add_search_flags(*q.tasks_cmd, q.task_flags);

  q.merge_cmd = app.add_subcommand("merge", "combine the shard reports of one search into its verdict and trace");
  q.merge_cmd->add_option("REPORT", q.merge.reports, "every shard's report (NAME.shard-I-of-N.json)")->required();
  q.merge_cmd->add_option("--out", q.merge.out, "directory for the traces (default fsmc-out)")
      ->check(a_directory())
      ->type_name("DIR");
  q.merge_cmd->add_flag("--json", q.merge.json, "machine-readable summary on stdout (the human one moves to stderr)");
  q.merge_cmd->add_flag("--html", q.merge.html, "also write an HTML sequence chart beside each trace");
}

// CLI11 would call a stray word "extra"; name it as the command it meant to be.
bool unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  if (std::find(commands.begin(), commands.end(), argv[1]) != commands.end()) return false;
  std::string m = std::string("fsmc: unknown command \"") + argv[1] + "\" (expected run, check, replay, show, explain, matrix, list, tasks or merge)";
  if (auto near = did_you_mean(argv[1], commands)) m += "; did you mean \"" + *near + "\"?";
  std::cerr << m << "\n";
  return true;
}

int dispatch(const Request& q) {
  // A search that runs out of memory ends as inconclusive in
  // search_scenario; this catches what runs out anywhere else.
  try {
    if (*q.run_cmd) return run_command(q.run);
    if (*q.check_cmd) return check_command(q.check);
    if (*q.replay_cmd) return replay_command(q.trace);
    if (*q.show_cmd) return show_command(q.show);
    if (*q.explain_cmd) return explain_command(q.trace, q.explain_json);
    if (*q.matrix_cmd) return matrix_command(q.matrix_file, q.matrix_json);
    if (*q.list_cmd) return list_command(q.what);
    if (*q.tasks_cmd) return tasks_command(q.task_files, q.task_flags);
    if (*q.merge_cmd) return merge_command(q.merge);
  } catch (const std::bad_alloc&) {
    std::cerr << "fsmc: out of memory; nothing more could be done (inconclusive)\n";
    return inconclusive;
  } catch (const std::exception& e) {
    std::cerr << "fsmc: internal error: " << e.what() << " (a bug of fsmc: please report it)\n";
    return internal_error;
  }
  return bad_input;
}

}  // namespace

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

  Request q;
  add_search_commands(app, q);
  add_trace_commands(app, q);
  add_model_commands(app, q);
  if (unknown_command(app, argc, argv)) return bad_input;
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
  return dispatch(q);
}
