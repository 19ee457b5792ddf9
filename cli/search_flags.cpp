#include "cli/search_flags.hpp"

#include <algorithm>

#include "cli/flag_checks.hpp"

namespace fsmc::cli {

CLI::Option* add_search_flags(CLI::App& cmd, SearchFlags& flags) {
  Overrides& o = flags.overrides;
  std::vector<std::string> kernels;
  for (const model::KernelInfo& k : model::kernels()) kernels.push_back(k.name);
  cmd.add_option_function<std::string>(
         "--kernel", [&o](const std::string& k) { o.kernel = k; },
         "kernel variant to use instead of the file's (see `fsmc list kernels`)")
      ->check(one_of(kernels, "a kernel that fsmc list kernels names"))
      ->type_name("KERNEL");
  cmd.add_option_function<std::string>(
         "--strategy", [&o](const std::string& s) { o.strategy = parse_strategy(s); },
         "auto (default: shallow bugs first with bounded 0..K, then the stateful proof), dfs, dpor (stateless proof), "
         "bounded, random, pct")
      ->check(one_of({"auto", "dfs", "dpor", "bounded", "random", "pct"}, "auto, dfs, dpor, bounded, random or pct"))
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
  cmd.add_flag("--json", flags.json, "machine-readable summary on stdout (the human one moves to stderr)");
  return cmd.add_flag("--html", flags.html, "also write an HTML sequence chart beside each trace");
}

std::optional<std::string> ignored_flag(const Overrides& o, const ScenarioFile& sf) {
  StrategyKind k = sf.search.strategy;
  std::string name(to_string(k));
  std::string by = o.strategy ? "--strategy " + name
                              : sf.path + "'s strategy " + name + " (give --strategy to choose another)";
  auto uses = [&](std::initializer_list<StrategyKind> kinds) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
  if (o.seed && !uses({StrategyKind::random, StrategyKind::pct}))
    return "--seed: ignored by " + by + "; only random and pct use a seed";
  if (o.preemptions && !uses({StrategyKind::bounded, StrategyKind::automatic}))
    return "--preemptions: ignored by " + by + "; only bounded and auto bound preemptions";
  if (o.stateful.value_or(false) && !uses({StrategyKind::dfs, StrategyKind::automatic}))
    return "--stateful: ignored by " + by + "; only dfs and auto cache states";
  return std::nullopt;
}

}  // namespace fsmc::cli
