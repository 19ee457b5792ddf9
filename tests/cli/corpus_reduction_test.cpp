// The reductions on the corpus: against plain DFS on every scenario plain
// DFS can finish, dpor and the stateful search must find the same violated
// invariants and reach the same set of final states; and on every scenario,
// the stateful search keyed by the model's locals (Locals) must agree with
// the one keyed by what each step read (observe_reads), which needs no
// locals hash and so checks the model's.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "cli/scenario_file.hpp"
#include "model/program.hpp"

namespace fs = std::filesystem;
using namespace fsmc;

namespace {

struct Seen {
  bool finished = false;
  std::set<std::string> violated;
  std::set<uint64_t> finals;
  uint64_t executions = 0;
};

// With `symmetry` off, identical threads are keyed apart, so that every
// final state is reached and not only one of each renaming.
Seen explore(const cli::ScenarioFile& sf, StrategyKind kind, bool stateful, uint64_t cap, bool observe_reads = false,
             bool symmetry = true) {
  Seen seen;
  Executor e(model::build_program(sf.scenario, [&seen](const model::Inode& ip) { seen.finals.insert(model::hash_state(ip)); }),
             {.symmetry = symmetry});
  SearchConfig c;
  c.strategy = kind;
  c.stateful = stateful;
  c.observe_reads = observe_reads;
  c.keep_going = true;
  c.max_executions = cap;
  SearchResult r = search(e, c);
  seen.finished = r.exhaustive;
  for (const Counterexample& ce : r.counterexamples) seen.violated.insert(ce.violation.invariant);
  seen.executions = r.stats.executions;
  return seen;
}

}  // namespace

TEST_CASE("corpus: dpor and the stateful search agree with dfs wherever dfs finishes") {
  // Plain DFS finishes these in at most 120k executions (the zeroing,
  // punch-scan and own-writeback ones in far fewer). Of the rest of the
  // corpus, disjoint-writers-v6.2 (1.1 M executions, 18 s) and
  // extending-write-over-prealloc-gap-v6.2 (0.5 M, 7 s) finish too slowly
  // for every run; the others run past 1 M executions (bench/RESULTS.md)
  // and are compared on smaller shapes in tests/model/reduction_test.cpp.
  for (const char* name : {"disjoint-writers-v6.1", "disjoint-writers-v6.1-198dd8ae",
                           "truncate-up-over-written-beyond-eof-v6.1", "truncate-up-over-written-beyond-eof-v6.2",
                           "punch-scan-eviction-v6.2", "stale-iomap-after-own-writeback-v6.1",
                           "stale-iomap-after-own-writeback-v6.2"}) {
    cli::InputError error;
    std::optional<cli::ScenarioFile> sf =
        cli::read_scenario(FSMC_SOURCE_DIR "/scenarios/xfs/" + std::string(name) + ".json", error);
    REQUIRE_MESSAGE(sf, error.message);
    std::string scenario = name;
    CAPTURE(scenario);
    Seen dfs = explore(*sf, StrategyKind::dfs, false, 1'000'000);
    REQUIRE(dfs.finished);
    Seen dpor = explore(*sf, StrategyKind::dpor, false, UINT64_MAX);
    Seen cached = explore(*sf, StrategyKind::dfs, true, UINT64_MAX);
    CHECK(dpor.finished);
    CHECK(cached.finished);
    CHECK(dpor.violated == dfs.violated);
    CHECK(dpor.finals == dfs.finals);
    CHECK(cached.violated == dfs.violated);
    CHECK(cached.finals == dfs.finals);
    MESSAGE(std::string(name), ": dfs ", dfs.executions, ", dpor ", dpor.executions, ", stateful ", cached.executions,
            " executions; ", dfs.finals.size(), " final states");
  }
}

TEST_CASE("corpus: the model's locals hash agrees with keying by what each step read") {
  int compared = 0;
  for (const fs::directory_entry& f : fs::directory_iterator(FSMC_SOURCE_DIR "/scenarios/xfs")) {
    cli::InputError error;
    std::optional<cli::ScenarioFile> sf = cli::read_scenario(f.path().string(), error);
    REQUIRE_MESSAGE(sf, error.message);
    CAPTURE(sf->scenario.name);
    Seen locals = explore(*sf, StrategyKind::dfs, true, UINT64_MAX, false, false);
    Seen observed = explore(*sf, StrategyKind::dfs, true, UINT64_MAX, true);
    REQUIRE(locals.finished);
    REQUIRE(observed.finished);
    CHECK(locals.violated == observed.violated);
    CHECK(locals.finals == observed.finals);
    CHECK(locals.executions <= observed.executions);
    ++compared;
  }
  CHECK(compared >= 27);  // the corpus as of this test; new scenarios are covered too
}

TEST_CASE("corpus: every step of the model changes only the objects it declares") {
  // The promise of Builder::object_state, on which the state key rests
  // (and dpor's and the sleep sets' dependence): checked after every step
  // of the stateful search of each scenario, every object hashed again.
  int checked = 0;
  for (const fs::directory_entry& f : fs::directory_iterator(FSMC_SOURCE_DIR "/scenarios/xfs")) {
    cli::InputError error;
    std::optional<cli::ScenarioFile> sf = cli::read_scenario(f.path().string(), error);
    REQUIRE_MESSAGE(sf, error.message);
    CAPTURE(sf->scenario.name);
    Executor e(model::build_program(sf->scenario), {.check_footprints = true});
    SearchConfig c;
    c.strategy = StrategyKind::dfs;
    c.keep_going = true;
    SearchResult r = search(e, c);
    CHECK(r.exhaustive);
    CHECK_MESSAGE(e.undeclared_writes().empty(), e.undeclared_writes().front());
    ++checked;
  }
  CHECK(checked >= 27);
}
