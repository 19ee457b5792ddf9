// The strategies the search offers, in one table: the name users write, what
// it explores, which search settings apply to it and how to make it. The
// CLI's flags, the scenario reader and the docs test all derive from it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "search/strategy.hpp"

namespace fsmc {

struct SearchConfig;
enum class StrategyKind { automatic, dfs, dpor, bounded, random, pct };  // pct last: strategies.cpp checks the rows

struct StrategyEntry {
  StrategyKind kind;
  std::string_view name;
  std::string_view explores;
  bool proves;                 // finished with nothing found, it is a proof (pass), not `bounded`
  bool uses_seed;              // --seed applies (not to auto: its short PCT phase keeps the file's seed)
  bool uses_preemptions;       // --preemptions applies
  bool uses_stateful;          // --stateful applies
  // A fresh strategy for one search; null for `auto`, which runs phases of the others.
  std::unique_ptr<Strategy> (*make)(const SearchConfig& config, const Executor& exec);
};

std::span<const StrategyEntry> strategies();
const StrategyEntry& entry(StrategyKind kind);
std::string_view to_string(StrategyKind kind);
std::optional<StrategyKind> parse_strategy(std::string_view name);
// "auto, dfs, dpor, bounded, random or pct": for messages and --help.
std::string strategy_names(std::string_view last_separator = " or ");

}  // namespace fsmc
