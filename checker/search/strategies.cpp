#include "search/strategies.hpp"

#include "rt/executor.hpp"
#include "search/dfs.hpp"
#include "search/dpor.hpp"
#include "search/pct.hpp"
#include "search/random.hpp"
#include "search/search.hpp"
#include "search/sleep_cache.hpp"

namespace fsmc {

namespace {

std::unique_ptr<Strategy> make_dfs(const SearchConfig& c, const Executor& e) {
  if (c.stateful && e.has_state_hash()) return std::make_unique<SleepCache>(e);
  return std::make_unique<Dfs>();
}
std::unique_ptr<Strategy> make_dpor(const SearchConfig&, const Executor& e) { return std::make_unique<Dpor>(e); }
std::unique_ptr<Strategy> make_bounded(const SearchConfig& c, const Executor&) {
  return std::make_unique<IterativeBounding>(c.preemptions);
}
std::unique_ptr<Strategy> make_random(const SearchConfig& c, const Executor&) {
  return std::make_unique<RandomWalk>(c.seed, c.max_executions);
}
std::unique_ptr<Strategy> make_pct(const SearchConfig& c, const Executor&) {
  return std::make_unique<Pct>(c.seed, c.max_executions, c.depth);
}

constexpr StrategyEntry table[] = {
    {StrategyKind::automatic, "auto",
     "shallow interleavings first (0, 1, then up to `preemptions` preemptions), then every state", true, false, true,
     true, nullptr},
    {StrategyKind::dfs, "dfs", "every reachable state, depth first (stateless: every interleaving)", true, false,
     false, true, make_dfs},
    {StrategyKind::dpor, "dpor", "one interleaving of each class of equivalent ones (source sets, sleep sets)", true,
     false, false, false, make_dpor},
    {StrategyKind::bounded, "bounded", "every interleaving with at most `preemptions` preemptions", false, false, true,
     false, make_bounded},
    {StrategyKind::random, "random", "random schedules", false, true, false, false, make_random},
    {StrategyKind::pct, "pct", "PCT schedules of depth `depth`", false, true, false, false, make_pct},
};

// One row per kind, in the enum's order, so that entry() can index.
constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < std::size(table); ++i)
    if (static_cast<std::size_t>(table[i].kind) != i) return false;
  return std::size(table) == static_cast<std::size_t>(StrategyKind::pct) + 1;
}
static_assert(rows_in_enum_order());

}  // namespace

std::span<const StrategyEntry> strategies() { return table; }

const StrategyEntry& entry(StrategyKind kind) { return table[static_cast<std::size_t>(kind)]; }

std::string_view to_string(StrategyKind kind) { return entry(kind).name; }

std::optional<StrategyKind> parse_strategy(std::string_view name) {
  for (const StrategyEntry& e : table)
    if (e.name == name) return e.kind;
  return std::nullopt;
}

std::string strategy_names(std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (i > 0) out += i + 1 == std::size(table) ? std::string(last_separator) : std::string(", ");
    out += table[i].name;
  }
  return out;
}

}  // namespace fsmc
