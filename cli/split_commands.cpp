// The search split over processes: `fsmc tasks`, `fsmc run --task ID`,
// `fsmc run --shard I/N` (a shard report for merge) and `fsmc merge`.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/search_flags.hpp"
#include "cli/shard_report.hpp"
#include "model/program.hpp"
#include "reports/atomic_file.hpp"

namespace fsmc::cli {

namespace {

// A whole number from 0 written in decimal digits only, below 2^32.
std::optional<uint32_t> index_number(const std::string& text) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  uint64_t v = std::stoull(text);
  if (v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::optional<uint32_t> env_number(const char* name) {
  const char* v = std::getenv(name);
  return v ? index_number(v) : std::nullopt;
}

// --shard I/N, or auto from the job runner's environment.
std::optional<TaskSelection> shard_of(const RunOptions& o, std::string& error) {
  const std::string expected = "expected I/N with N from 1 and I from 0 to N-1, or auto";
  if (o.shard_count && o.shard != "auto") {
    error = "fsmc: --shard-count: only with --shard auto (Kubernetes' JOB_COMPLETION_INDEX gives I, this N)";
    return std::nullopt;
  }
  if (o.shard == "auto") {
    if (std::getenv("SLURM_ARRAY_TASK_ID")) {
      auto id = env_number("SLURM_ARRAY_TASK_ID"), count = env_number("SLURM_ARRAY_TASK_COUNT");
      auto min = std::getenv("SLURM_ARRAY_TASK_MIN") ? env_number("SLURM_ARRAY_TASK_MIN") : std::optional<uint32_t>(0);
      if (!id || !count || !min || *count == 0 || *id < *min || *id - *min >= *count) {
        error = "fsmc: --shard auto: expected SLURM_ARRAY_TASK_ID from SLURM_ARRAY_TASK_MIN (0 if unset) and "
                "SLURM_ARRAY_TASK_COUNT above their difference (an array job of consecutive indices)";
        return std::nullopt;
      }
      return TaskSelection{*id - *min, *count, std::nullopt};
    }
    if (std::getenv("JOB_COMPLETION_INDEX")) {
      auto index = env_number("JOB_COMPLETION_INDEX");
      if (!index || !o.shard_count || *o.shard_count == 0 || *index >= *o.shard_count) {
        error = "fsmc: --shard auto: expected JOB_COMPLETION_INDEX from 0 to N-1 with --shard-count N (N from 1)";
        return std::nullopt;
      }
      return TaskSelection{*index, *o.shard_count, std::nullopt};
    }
    error = "fsmc: --shard auto: expected SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (Slurm) or "
            "JOB_COMPLETION_INDEX with --shard-count N (Kubernetes) in the environment";
    return std::nullopt;
  }
  std::size_t slash = o.shard.find('/');
  auto i = index_number(o.shard.substr(0, slash)), n = slash == std::string::npos ? std::nullopt : index_number(o.shard.substr(slash + 1));
  if (!i || !n || *n == 0 || *i >= *n) {
    error = "fsmc: --shard " + o.shard + ": " + expected;
    return std::nullopt;
  }
  return TaskSelection{*i, *n, std::nullopt};
}

std::string counts(const SearchResult& r) {
  std::string line = std::to_string(r.stats.executions) + " executions";
  line += states_cached(r);
  return line;
}

// What the tasks a shard (or --task) ran found; exit as run's for it.
int part_summary(const ScenarioFile& sf, const Outcome& outcome, const std::string& what, std::ostream& out) {
  const SearchResult& r = outcome.result;
  std::string line = sf.scenario.name + " [" + sf.scenario.kernel + "] " + what + ": ";
  int exit = ok;
  if (r.verdict == Verdict::violation) {
    line += "violation of";
    for (const std::string& i : outcome.violated) line += " " + i;
    exit = violation_found;
  } else if (r.verdict == Verdict::inconclusive) {
    line += "stopped by a cap before its tasks were searched";
    exit = inconclusive;
  } else {
    line += "no violation";
  }
  out << line << " (" << counts(r) << ")\n" << counts_vary_line(r);
  for (const Counterexample& c : r.counterexamples) out << "  " << c.violation.invariant << ": " << c.violation.message << "\n";
  return exit;
}

}  // namespace

int run_split(const RunOptions& o, std::vector<ScenarioFile>& files) {
  std::string error;
  std::optional<TaskSelection> shard;
  if (!o.shard.empty()) {
    if (o.task) {
      std::cerr << "fsmc: --task: not with --shard (a shard runs its own tasks)\n";
      return bad_input;
    }
    shard = shard_of(o, error);
    if (!shard) {
      std::cerr << error << "\n";
      return bad_input;
    }
  }
  for (ScenarioFile& sf : files) {
    if (o.task) {
      Executor exec(model::build_program(sf.scenario));
      std::size_t n = task_list(exec, sf.search).size();
      if (*o.task >= n) {
        std::cerr << "fsmc: --task " << *o.task << ": expected a task of " << sf.path << " from 0 to " << n
                  << " - 1 (fsmc tasks lists them" << (n == 0 ? "; its search is not split" : "") << ")\n";
        return bad_input;
      }
    }
    sf.search.select = shard ? *shard : TaskSelection{0, 1, o.task};
  }

  std::ostream& lines = o.search.json ? std::cerr : std::cout;
  int exit = ok;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const ScenarioFile& sf : files) {
    // A shard's traces would not be the whole search's: merge writes those.
    Outcome outcome = search_scenario(sf, false, shard ? "" : o.out, o.search.html, interrupt_flag());
    std::string what = shard ? "shard " + std::to_string(shard->shard) + "/" + std::to_string(shard->shards)
                             : "task " + std::to_string(*o.task) + " of " + std::to_string(outcome.result.tasks);
    int e = part_summary(sf, outcome, what, lines);
    if (e != ok && exit != violation_found) exit = e;
    for (const std::string& t : outcome.traces) lines << "  trace: " << t << "\n";
    all.push_back(summary_json(sf, outcome));
    if (print_errors(outcome).internal) return internal_error;
    if (interrupt_flag()->load() || outcome.out_of_memory) return inconclusive;  // no report of a search cut short
    if (shard) {
      std::string path = o.out + "/" + shard_report_name(sf, shard->shard, shard->shards);
      std::error_code ec;
      std::filesystem::create_directories(o.out, ec);
      std::string report = shard_report(sf, outcome.result, *shard, FSMC_VERSION).dump(1) + "\n";
      if (ec || !reports::write_atomically(path, report, error)) {
        std::cerr << (ec ? o.out + ": cannot create the folder (" + ec.message() + ")" : error) << "\n";
        return bad_input;
      }
      lines << "  shard report: " << path << "\n";
    }
  }
  if (o.search.json) std::cout << (files.size() == 1 ? all[0] : all).dump(2) << "\n";
  return exit;
}

int tasks_command(const std::vector<std::string>& paths, const SearchFlags& flags) {
  for (const std::string& path : paths) {
    InputError error;
    auto sf = read_scenario(path, error);
    if (!sf) {
      std::cerr << error.message << "\n";
      return bad_input;
    }
    apply(flags.overrides, *sf);
    Executor exec(model::build_program(sf->scenario));
    std::vector<std::vector<uint32_t>> tasks = task_list(exec, sf->search);
    std::cout << sf->scenario.name << " [" << sf->scenario.kernel << "]: " << tasks.size() << " tasks";
    if (tasks.empty()) std::cout << " (its search is not split: it runs on one thread)";
    std::cout << "\n";
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      std::cout << i << " ";
      for (std::size_t d = 0; d < tasks[i].size(); ++d) std::cout << (d ? "," : "") << tasks[i][d];
      std::cout << "\n";
    }
  }
  return ok;
}

int merge_command(const MergeOptions& o) {
  std::string error;
  auto merged = read_shard_reports(o.reports, FSMC_VERSION, error);
  if (!merged) {
    std::cerr << error << "\n";
    return bad_input;
  }
  if (auto problem = reports::directory_target_problem(o.out)) {
    std::cerr << "fsmc: --out " << *problem << "\n";
    return bad_input;
  }
  const ScenarioFile& sf = merged->scenario;
  Executor exec(model::build_program(sf.scenario));
  Outcome outcome;
  outcome.result = std::move(merged->result);
  trace_counterexamples(exec, outcome.result.counterexamples);
  for (const Counterexample& c : outcome.result.counterexamples) outcome.violated.push_back(c.violation.invariant);
  std::sort(outcome.violated.begin(), outcome.violated.end());
  write_traces(sf, o.out, o.html, outcome);
  (o.json ? std::cerr : std::cout) << run_summary(sf, outcome) << std::flush;
  for (const std::string& note : outcome.notes) std::cerr << "fsmc: " << note << "\n";
  if (o.json) std::cout << summary_json(sf, outcome).dump(2) << "\n";
  OutcomeErrors errors = print_errors(outcome);
  if (errors.internal) return internal_error;
  if (errors.write) return bad_input;
  return verdict_exit(outcome.result.verdict);
}

}  // namespace fsmc::cli
