// fsmc: scenario files in, verdicts and counterexample traces out.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/did_you_mean.hpp"

using namespace fsmc;
using namespace fsmc::cli;

namespace {

// CLI11's own range checks print the whole range of a double; say it simply.
CLI::Validator at_least(double least, const char* what) {
  return CLI::Validator(
      [least, what](std::string& text) -> std::string {
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value < least)
          return std::string("expected ") + what + ", got \"" + text + "\"";
        return "";
      },
      "");
}

CLI::Validator at_most(double most, const char* what) {
  return CLI::Validator(
      [most, what](std::string& text) -> std::string {
        return std::strtod(text.c_str(), nullptr) > most ? std::string("expected ") + what + ", got \"" + text + "\""
                                                         : "";
      },
      "");
}

// An empty file name would be no report at all.
CLI::Validator a_file() {
  return CLI::Validator(
      [](std::string& file) -> std::string { return file.empty() ? "expected a file name, got \"\"" : ""; }, "");
}

// An empty --out would silently mean "write no traces".
CLI::Validator a_directory() {
  return CLI::Validator(
      [](std::string& dir) -> std::string { return dir.empty() ? "expected a directory, got \"\"" : ""; }, "");
}

CLI::Validator one_of(std::vector<std::string> names, const char* what) {
  return CLI::Validator(
      [names, what](std::string& text) -> std::string {
        if (std::find(names.begin(), names.end(), text) != names.end()) return "";
        std::string m = std::string("expected ") + what + ", got \"" + text + "\"";
        if (auto near = did_you_mean(text, names)) m += "; did you mean \"" + *near + "\"?";
        return m;
      },
      "");
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

  RunOptions run;
  std::string strategy, kernel, shard;
  int jobs = 1;
  CLI::App* run_cmd = app.add_subcommand("run", "search each scenario; print a summary; write each violation's trace");
  run_cmd->add_option("FILE", run.files, "scenario files (.json)")->required();
  std::vector<std::string> kernels;
  for (const model::KernelInfo& k : model::kernel_table()) kernels.push_back(k.name);
  run_cmd->add_option("--kernel", kernel, "kernel variant to use instead of the file's (see `fsmc list kernels`)")
      ->check(one_of(kernels, "a kernel that fsmc list kernels names"))
      ->type_name("KERNEL");
  run_cmd->add_option("--strategy", strategy, "auto (default: shallow bugs first with bounded 0..K, then the stateful proof), dfs, dpor (stateless proof), bounded, random, pct")
      ->check(one_of({"auto", "dfs", "dpor", "bounded", "random", "pct"}, "auto, dfs, dpor, bounded, random or pct"))
      ->type_name("NAME");
  run_cmd->add_option("--preemptions", run.overrides.preemptions, "largest preemption bound (bounded, auto)")
      ->check(at_least(0, "a bound from 0"))
      ->type_name("K");
  run_cmd->add_option("--max-executions", run.overrides.max_executions, "stop after this many executions (inconclusive)")
      ->check(at_least(1, "at least 1 execution"))
      ->type_name("N");
  run_cmd->add_option("--seconds", run.overrides.seconds, "stop after this long (inconclusive); 0: no time cap")
      ->check(at_least(0, "a number of seconds from 0"))
      ->type_name("S");
  run_cmd->add_option("--max-memory", run.overrides.max_memory_mib,
                      "memory the stateful search may use for visited states, in MiB; beyond it the search stops "
                      "(inconclusive). Default: half of this machine's memory")
      ->check(at_least(1, "at least 1 MiB"))
      ->check(at_most(1ull << 40, "at most 1099511627776 MiB"))
      ->type_name("MIB");
  run_cmd->add_option("--seed", run.overrides.seed, "seed of random and pct")->check(at_least(0, "a seed from 0"))
      ->type_name("SEED");
  run_cmd->add_option("--jobs", jobs, "accepted for scripts; the search runs on one thread for now")
      ->check(at_least(1, "at least 1 job"))
      ->check(at_most(1024, "at most 1024 jobs"))
      ->type_name("N");
  run_cmd->add_option("--shard", shard, "search slice I of N of the tree (not supported yet)")->type_name("I/N");
  run_cmd->add_option("--out", run.out, "directory for the traces (default fsmc-out)")
      ->check(a_directory())
      ->type_name("DIR");
  CLI::Option* stateful = run_cmd->add_flag_callback(
      "--stateful", [&run] { run.overrides.stateful = true; },
      "cache explored states (the default): dfs and auto's exhaustive phase stop at a state seen before");
  run_cmd->add_flag_callback("--stateless", [&run] { run.overrides.stateful = false; },
                             "prove without caching states (source-DPOR), whatever the scenario file's search.stateful says")
      ->excludes(stateful);
  run_cmd->add_flag("--html", run.html, "also write an HTML sequence chart beside each trace");
  run_cmd->add_flag("--json", run.json, "machine-readable summary on stdout (the human one moves to stderr)");

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "regression gate: every scenario under PATH must match its expect");
  check_cmd->add_option("PATH", check.paths, "scenario files or directories")->required();
  check_cmd->add_option("--junit", check.junit, "write JUnit XML here")->check(a_file())->type_name("FILE");
  check_cmd->add_option("--out", check.out, "write the trace of every counterexample found here (e.g. for CI artifacts)")
      ->check(a_directory())
      ->type_name("DIR");

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
  CLI::Option* show_minimal =
      show_cmd->add_flag("--minimal", show.minimal, "only the steps the violation depends on (see fsmc explain)");
  show_cmd->add_flag("--as-scenario", show.as_scenario,
                     "print a scenario that pins this counterexample (its decisions) and expects its violation")
      ->excludes(show_html)
      ->excludes(show_format)
      ->excludes(show_minimal);

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
  } catch (const CLI::ParseError& e) {
    std::cerr << "fsmc: " << e.what() << " (see fsmc --help)\n";
    return bad_input;
  }

  if (*run_cmd) {
    if (!strategy.empty()) run.overrides.strategy = parse_strategy(strategy);
    if (!kernel.empty()) run.overrides.kernel = kernel;
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
