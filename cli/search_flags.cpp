#include "cli/search_flags.hpp"

#include <algorithm>

#include "cli/flag_checks.hpp"

namespace fsmc::cli {

namespace {
std::vector<std::string> strategy_list() {
  std::vector<std::string> names;
  for (const StrategyEntry& s : strategies()) names.emplace_back(s.name);
  return names;
}
}  // namespace

CLI::Option* add_search_flags(CLI::App& cmd, SearchFlags& flags) {
  Overrides& o = flags.overrides;
  std::vector<std::string> kernels;
  for (const model::KernelInfo& k : model::kernel_table()) kernels.push_back(k.name);
  cmd.add_option_function<std::string>(
         "--kernel", [&o](const std::string& k) { o.kernel = k; },
         "kernel variant to use instead of the file's (see `fsmc list kernels`)")
      ->check(one_of(kernels, "a kernel that fsmc list kernels names"))
      ->type_name("KERNEL");
  cmd.add_option_function<std::string>(
         "--strategy", [&o](const std::string& s) { o.strategy = parse_strategy(s); },
         "auto (default: shallow bugs first with bounded 0..K, then the stateful proof), dfs, dpor (stateless proof), "
         "bounded, random, pct")
      ->check(one_of(strategy_list(), strategy_names()))
      ->type_name("NAME");
  cmd.add_option("--preemptions", o.preemptions, "largest preemption bound (bounded, auto)")
      ->check(at_least(0, "a bound from 0"))
      ->type_name("K");
  cmd.add_option("--max-executions", o.max_executions, "stop after this many executions (inconclusive)")
      ->check(at_least(1, "at least 1 execution"))
      ->type_name("N");
  cmd.add_option("--seconds", o.seconds, "stop after this long (inconclusive); 0: no time cap")
      ->check(at_least(0, "a number of seconds from 0"))
      ->type_name("S");
  cmd.add_option("--max-memory", o.max_memory_mib,
                 "memory the stateful search may use for visited states, in MiB; beyond it the search stops "
                 "(inconclusive). Default: half of this machine's memory")
      ->check(at_least(1, "at least 1 MiB"))
      ->check(at_most(1ull << 40, "at most 1099511627776 MiB"))
      ->type_name("MIB");
  cmd.add_option("--seed", o.seed, "seed of random and pct")->check(at_least(0, "a seed from 0"))->type_name("SEED");
  CLI::Option* stateful = cmd.add_flag_callback(
      "--stateful", [&o] { o.stateful = true; },
      "cache explored states (the default): dfs and auto's exhaustive phase stop at a state seen before");
  cmd.add_flag_callback("--stateless", [&o] { o.stateful = false; },
                        "prove without caching states (source-DPOR), whatever the scenario file's search.stateful says")
      ->excludes(stateful);
  cmd.add_option_function<uint32_t>(
         "--jobs", [&o](uint32_t n) { o.jobs = n; },
         "worker threads of the exhaustive search (default: one per core); the verdict and traces are the same "
         "for every N")
      ->check(at_least(1, "at least 1 job"))
      ->check(at_most(1024, "at most 1024 jobs"))
      ->type_name("N");
  cmd.add_flag("--json", flags.json, "machine-readable summary on stdout (the human one moves to stderr)");
  return cmd.add_flag("--html", flags.html, "also write an HTML sequence chart beside each trace");
}

std::optional<std::string> ignored_flag(const Overrides& o, const ScenarioFile& sf) {
  StrategyKind k = sf.search.strategy;
  std::string name(to_string(k));
  std::string by = o.strategy ? "--strategy " + name
                              : sf.path + "'s strategy " + name + " (give --strategy to choose another)";
  const StrategyEntry& e = entry(k);
  auto users = [](bool StrategyEntry::*uses) {
    std::string out;
    for (const StrategyEntry& s : strategies())
      if (s.*uses) out += (out.empty() ? "" : " and ") + std::string(s.name);
    return out;
  };
  if (o.seed && !e.uses_seed) return "--seed: ignored by " + by + "; only " + users(&StrategyEntry::uses_seed) + " use a seed";
  if (o.preemptions && !e.uses_preemptions)
    return "--preemptions: ignored by " + by + "; only " + users(&StrategyEntry::uses_preemptions) + " bound preemptions";
  if (o.stateful.value_or(false) && !e.uses_stateful)
    return "--stateful: ignored by " + by + "; only " + users(&StrategyEntry::uses_stateful) + " cache states";
  return std::nullopt;
}

}  // namespace fsmc::cli
