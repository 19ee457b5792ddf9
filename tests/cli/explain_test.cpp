// fsmc explain, show --minimal, show --format=commit, show --as-scenario and
// matrix: exact outputs on the seed race, and on every violation of the
// corpus a racing pair inside the trace, a minimal schedule that replays and
// a pinned scenario that passes the gate.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/race_analysis.hpp"
#include "cli/scenario_file.hpp"
#include "cli/search_scenario.hpp"
#include "fsmc_process.hpp"
#include "model/program.hpp"
#include "search/recorder.hpp"
#include "search/replay.hpp"

using namespace fsmc;
using namespace cli_test;

namespace {

const std::string seed = "scenarios/xfs/seed-race-v6.1.json";

// The seed race's trace, written once per test case.
fs::path seed_trace(const std::string& dir) {
  fs::path out = fresh_dir(dir);
  REQUIRE(cli_test::fsmc("run " + seed + " --out " + out.string()).exit == 1);
  return out / "seed-race-v6.1.dirty_backed.json";
}

// Every counterexample the corpus expects, found the way fsmc check finds them.
struct Found {
  std::string file;
  cli::ScenarioFile scenario;
  Counterexample counterexample;
};
std::vector<Found> corpus_violations() {
  std::vector<Found> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(FSMC_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".json") continue;
    cli::InputError error;
    auto sf = cli::read_scenario(e.path().string(), error);
    REQUIRE(sf);
    if (sf->expect.verdict != "violation") continue;
    cli::Outcome outcome = cli::search_scenario(*sf, true, "", false, nullptr);
    REQUIRE(outcome.internal_error.empty());
    for (const Counterexample& c : outcome.result.counterexamples) out.push_back({e.path().string(), *sf, c});
  }
  return out;
}

// The objects each step of a schedule declares, by name.
std::vector<std::vector<std::string>> objects_per_step(const model::Scenario& s, const std::vector<uint32_t>& decisions) {
  Executor exec(model::build_program(s));
  Replay replay(decisions);
  Recorder recorded(replay);
  recorded.next_execution();
  exec.run(recorded, {.tracing = true, .keep_going = true});
  std::vector<std::vector<std::string>> out;
  for (const Event& e : recorded.events()) {
    std::vector<std::string> names;
    if (e.op.object != no_object) names.push_back(exec.object_name(e.op.object));
    e.op.for_each_access([&](ObjectId o, AccessKind) { names.push_back(exec.object_name(o)); });
    out.push_back(names);
  }
  return out;
}

}  // namespace

TEST_CASE("explain names the seed race's racing pair, the missing invalidate_lock across E5-E6 and the point of no return") {
  fs::path trace = seed_trace("explain-seed");
  Result r = cli_test::fsmc("explain " + trace.string());
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
    "seed-race-v6.1 [v6.1]: dirty_backed violated at step 17\n"
    "  page 1 is dirty but its extent is a hole (made a hole by writer in xfs_bmap_punch_delalloc_range at step 17): writeback will skip it and its data will be lost\n"
    "\n"
    "racing pair:\n"
    "  step 12  mapper  xfs_buffered_write_iomap_begin B2\n"
    "      iomap_page_mkwrite: page 1 already delalloc, map 1 page(s), no reservation\n"
    "      extent 1: delalloc -> delalloc\n"
    "      locks held: invalidate_lock_SHARED, folio 1\n"
    "  step 17  writer  xfs_bmap_punch_delalloc_range E6\n"
    "      punch delalloc over page 1: 1 block(s) -> hole\n"
    "      extent 1: delalloc -> hole\n"
    "      locks held: IOLOCK_EXCL\n"
    "\n"
    "missing order: writer holding invalidate_lock exclusively from step 2 (E5) to step 17 (E6) would have kept mapper's section under invalidate_lock (steps 10-14) out of that window.\n"
    "\n"
    "point of no return: after step 17 (writer, xfs_bmap_punch_delalloc_range E6): every continuation violates dirty_backed\n"
    "\n"
    "minimal interleaving: 15 of 18 steps (fsmc show --minimal)\n");
}

TEST_CASE("the trace's explain section is what fsmc explain --json prints") {
  fs::path trace = seed_trace("explain-json");
  nlohmann::ordered_json written = nlohmann::ordered_json::parse(slurp(trace));
  Result r = cli_test::fsmc("explain --json " + trace.string());
  REQUIRE(r.exit == 0);
  nlohmann::ordered_json printed = nlohmann::ordered_json::parse(r.out);
  CHECK(written["explain"] == printed);
  CHECK(printed["missing_order"]["lock"] == "invalidate_lock");
  CHECK(printed["missing_order"]["from_point"] == "E5");
  CHECK(printed["missing_order"]["to_point"] == "E6");
  CHECK(printed["point_of_no_return"]["after_step"] == 17);
  CHECK(printed["minimal_steps"].size() == 15);
}

TEST_CASE("every corpus violation: a racing pair in the trace on an object of the invariant, a minimal schedule that replays") {
  std::vector<Found> found = corpus_violations();
  REQUIRE(found.size() >= 5);
  for (const Found& f : found) {
    const Counterexample& c = f.counterexample;
    CAPTURE(f.file);
    CAPTURE(c.violation.invariant);
    std::string error;
    auto e = cli::explain({f.scenario.scenario, c.violation.decisions, c.violation.invariant, c.violation.message}, error);
    REQUIRE_MESSAGE(e, error);
    if (e->racing_pair.empty()) {
      // A bug with no race (S5: one writeback pass's own error path) needs
      // no preemption; anything else must name its pair.
      CHECK(c.violation.preemptions == 0);
      continue;
    }
    REQUIRE(e->racing_pair.size() == 2);
    const cli::RacingStep& earlier = e->racing_pair[0];
    const cli::RacingStep& later = e->racing_pair[1];
    CHECK(earlier.step < later.step);
    CHECK(later.step < c.steps.size());
    CHECK(earlier.thread != later.thread);
    CHECK(c.steps[earlier.step].thread_name == earlier.thread);
    CHECK(c.steps[later.step].point == later.point);
    // Both steps declare the object, and it is of the page the violation names.
    std::vector<std::vector<std::string>> objects = objects_per_step(f.scenario.scenario, c.violation.decisions);
    for (const cli::RacingStep* s : {&earlier, &later}) {
      const std::vector<std::string>& declared = objects.at(s->step);
      CHECK(std::find(declared.begin(), declared.end(), s->object) != declared.end());
    }
    // A page's invariants race on that page's objects; no_warning reads the
    // warning itself, whichever page the message names.
    std::smatch page;
    REQUIRE(std::regex_search(c.violation.message, page, std::regex("page ([0-9]+)")));
    if (c.violation.invariant != "no_warning") CHECK(later.object.ends_with(" " + page[1].str()));
    CHECK(later.before.has_value());
    CHECK(later.after.has_value());
    CHECK(e->searched);
    // The minimal schedule ends in the same violation at its last step.
    CHECK(e->minimal_steps.size() <= c.steps.size());
    CHECK(e->minimal_steps.back() == c.steps.back().index);
    Executor exec(model::build_program(f.scenario.scenario));
    ReplayOutcome minimal = replay(exec, e->minimal_decisions, c.violation.invariant);
    CHECK(minimal.reproduced);
    CHECK(minimal.run.trace.size() == e->minimal_steps.size());
  }
}

TEST_CASE("show --minimal keeps 15 of the seed race's 18 steps and ends at the punch") {
  fs::path trace = seed_trace("minimal");
  Result all = cli_test::fsmc("show " + trace.string());
  Result minimal = cli_test::fsmc("show --minimal --width 120 " + trace.string());
  REQUIRE(minimal.exit == 0);
  std::regex row(R"(\n(>>| {2}) +([0-9]+)\|)");
  auto rows = [&](const std::string& text) {
    std::vector<std::string> numbers;
    for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) numbers.push_back((*it)[2]);
    return numbers;
  };
  CHECK(rows(all.out).size() == 18);
  std::vector<std::string> kept = rows(minimal.out);
  CHECK(kept == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "17"});
  CHECK(minimal.out.find(">>   17| xfs_bmap_punch_delalloc_range E6") != std::string::npos);
  CHECK(minimal.out.find("cache: 0=absent 1=dirty\n") != std::string::npos);  // the state the minimal schedule ends in
}

TEST_CASE("show --format=commit: the seed race in columns at most 75 wide, the racing pair marked") {
  fs::path trace = seed_trace("commit");
  Result r = cli_test::fsmc("show --format=commit --minimal " + trace.string());
  CHECK(r.exit == 0);
  CHECK(r.out ==
    "seed-race-v6.1 [v6.1]: dirty_backed violated\n"
    "\n"
    "  writer                              mapper\n"
    "  ------                              ------\n"
    "  W1 down_write(IOLOCK)\n"
    "  B2 xfs_buffered_write_iomap_begin\n"
    "  E5 truncate_pagecache_range\n"
    "                                      M12 mmap store\n"
    "                                      RF1 filemap_fault\n"
    "                                      RF3 down_read(invalidate_lock)\n"
    "                                      RF4 lock(folio 1)\n"
    "                                      RF5 iomap_read_folio\n"
    "                                      RF6 up_read(invalidate_lock)\n"
    "                                      M2 unlock(folio 1)\n"
    "                                      M4 down_read(invalidate_lock)\n"
    "                                      M5 lock(folio 1)\n"
    "                                    * B2 xfs_buffered_write_iomap_begin\n"
    "                                        iomap_page_mkwrite: page 1 already\n"
    "                                        delalloc, map 1 page(s), no\n"
    "                                        reservation\n"
    "                                      M7 iomap_page_mkwrite\n"
    "* E6 xfs_bmap_punch_delalloc_range\n"
    "    punch delalloc over page 1: 1 block(s) -> hole\n"
    "\n"
    "dirty_backed: page 1 is dirty but its extent is a hole (made a hole by\n"
    "writer in xfs_bmap_punch_delalloc_range at step 17): writeback will skip it\n"
    "and its data will be lost\n"
    "\n"
    "* the racing pair\n"
    "writer holding invalidate_lock exclusively from step 2 (E5) to step 17 (E6)\n"
    "would have kept mapper's section under invalidate_lock (steps 10-14) out of\n"
    "that window.\n");
}

TEST_CASE("show --format=commit stays within 75 columns and never splits a function name, on every corpus violation") {
  fs::path out = fresh_dir("commit-corpus");
  REQUIRE(cli_test::fsmc("check scenarios --out " + out.string()).exit == 0);
  int traces = 0;
  for (const auto& t : fs::directory_iterator(out)) {
    CAPTURE(t.path().string());
    ++traces;
    Result r = cli_test::fsmc("show --format=commit " + t.path().string());
    REQUIRE(r.exit == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 75);
    nlohmann::json j = nlohmann::json::parse(slurp(t.path()));
    for (const nlohmann::json& s : j["steps"])
      if (s["op"] == "access") CHECK(r.out.find(s["function"].get<std::string>()) != std::string::npos);
  }
  CHECK(traces >= 5);
}

TEST_CASE("show --as-scenario pins a counterexample that fsmc check passes, and that fails on the fixed kernel") {
  fs::path out = fresh_dir("pinned");
  REQUIRE(cli_test::fsmc("check scenarios --out " + out.string()).exit == 0);
  int pinned = 0;
  for (const auto& t : fs::directory_iterator(out)) {
    if (t.path().extension() != ".json") continue;
    CAPTURE(t.path().string());
    Result r = cli_test::fsmc("show --as-scenario " + t.path().string());
    REQUIRE(r.exit == 0);
    nlohmann::json s = nlohmann::json::parse(r.out);
    nlohmann::json trace = nlohmann::json::parse(slurp(t.path()));
    CHECK(s["search"]["schedule"] == trace["decisions"]);
    CHECK(s["expect"]["invariants"] == nlohmann::json::array({trace["invariant"]}));
    fs::path file = out.parent_path() / (scratch_prefix() + "pinned-" + t.path().filename().string());
    std::ofstream(file) << r.out;
    Result check = cli_test::fsmc("check " + file.string());
    CHECK(check.exit == 0);
    CHECK(check.out.find("(1 executions") != std::string::npos);
    ++pinned;
  }
  CHECK(pinned >= 5);

  // The same schedule on v6.2, where the race is fixed, is not the violation.
  fs::path trace = seed_trace("pinned-seed");
  nlohmann::ordered_json s = nlohmann::ordered_json::parse(cli_test::fsmc("show --as-scenario " + trace.string()).out);
  s["kernel"] = "v6.2";
  fs::path fixed = out.parent_path() / (scratch_prefix() + "pinned-fixed.json");
  std::ofstream(fixed) << s.dump(2);
  Result check = cli_test::fsmc("check " + fixed.string());
  CHECK(check.exit == 1);
  CHECK(check.out.find("FAIL") != std::string::npos);
}

TEST_CASE("matrix: the seed race on every kernel, one row each") {
  // With the reach goal M12 inside E5..E6, the fixed v6.1 keys and reorders
  // the goal's steps; the flusher's I/O completes on a worker thread.
  Result r = cli_test::fsmc("matrix " + seed);
  CHECK(r.exit == 1);
  CHECK(r.out ==
        "seed-race-v6.1\n"
        "kernel                verdict       invariants              executions  exhaustive\n"
        "v6.1                  violation     dirty_backed                   105  no\n"
        "v6.1+198dd8ae         pass          -                              448  yes\n"
        "v6.2                  vacuous       -                              458  yes\n"
        "v6.2+8ac5b996         vacuous       -                              458  yes\n");
  Result j = cli_test::fsmc("matrix --json " + seed);
  CHECK(j.exit == 1);
  nlohmann::json m = nlohmann::json::parse(j.out);
  CHECK(m["scenario"] == "seed-race-v6.1");
  REQUIRE(m["kernels"].size() == 4);
  CHECK(m["kernels"][0] == nlohmann::json{{"kernel", "v6.1"}, {"verdict", "violation"}, {"invariants", {"dirty_backed"}},
                                          {"executions", 105}, {"exhaustive", false}});
  CHECK(m["kernels"][1]["verdict"] == "pass");
  // The scenario's reach goal names E5 and E6, which v6.2's cleanup does not have.
  CHECK(m["kernels"][2]["verdict"] == "vacuous");
  CHECK(m["kernels"][2]["exhaustive"] == true);
}

TEST_CASE("explain, show and matrix refuse bad input with one line and exit 2") {
  Result missing = cli_test::fsmc("explain no-such-trace.json");
  CHECK(missing.exit == 2);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
  Result format = cli_test::fsmc("show --format=wide no-such-trace.json");
  CHECK(format.exit == 2);
  CHECK(format.err.find("expected table or commit") != std::string::npos);
  Result both = cli_test::fsmc("show --as-scenario --minimal no-such-trace.json");
  CHECK(both.exit == 2);
  CHECK(both.err == "fsmc: --minimal excludes --as-scenario (see fsmc --help)\n");
  Result matrix = cli_test::fsmc("matrix tests/cli/bad/too-many-threads.json");
  CHECK(matrix.exit == 2);
  CHECK(std::count(matrix.err.begin(), matrix.err.end(), '\n') == 1);
}

TEST_CASE("a trace the model no longer reproduces: show still prints it, explain and show --minimal say why in one line") {
  fs::path trace = seed_trace("stale");
  nlohmann::ordered_json t = nlohmann::ordered_json::parse(slurp(trace));
  t["decisions"].back() = 2;  // the flusher moves last instead of the writer's punch
  fs::path stale = trace.parent_path() / "stale.json";
  std::ofstream(stale) << t.dump(2);
  CHECK(cli_test::fsmc("show " + stale.string()).exit == 0);
  std::string line = stale.string() + ": decisions: they do not reproduce the violation of dirty_backed in this model\n";
  Result explain = cli_test::fsmc("explain " + stale.string());
  CHECK(explain.exit == 2);
  CHECK(explain.err == line);
  CHECK(explain.out.empty());
  Result minimal = cli_test::fsmc("show --minimal " + stale.string());
  CHECK(minimal.exit == 2);
  CHECK(minimal.err == line);
}

TEST_CASE("the minimal schedule drops a whole thread the violation does not depend on") {
  // The seed race in SPIN's largest shape (bench/grid.sh n6t7): three writers
  // of pages 0-5 short after page 0, three mmap faulters, one writeback.
  nlohmann::ordered_json s = {
      {"fsmc", 1}, {"name", "grid-n6t7"}, {"kernel", "v6.1"}, {"file", {{"size", 6}, {"pages", 6}}},
      {"check", {"dirty_backed"}}};
  for (int w = 0; w < 3; ++w)
    s["threads"].push_back({{"name", "writer" + std::to_string(w)},
                            {"ops", {{{"op", "write"}, {"page", 0}, {"pages", 6}, {"copy", 1}}}}});
  for (int f = 0; f < 3; ++f)
    s["threads"].push_back({{"name", "mapper" + std::to_string(f)}, {"ops", {{{"op", "mmap_write"}, {"page", 1 + f}}}}});
  s["threads"].push_back({{"name", "flusher"}, {"ops", {{{"op", "writeback"}}}}});
  fs::path dir = fresh_dir("grid");
  fs::create_directories(dir);
  std::ofstream(dir / "grid.json") << s.dump(2);
  REQUIRE(cli_test::fsmc("run " + (dir / "grid.json").string() + " --out " + (dir / "out").string()).exit == 1);
  nlohmann::json trace = nlohmann::json::parse(slurp(dir / "out" / "grid-n6t7.dirty_backed.json"));
  REQUIRE(trace["steps"].size() == 79);
  const nlohmann::json& minimal = trace["explain"]["minimal_steps"];
  CHECK(minimal.size() == 52);
  std::set<std::string> threads;
  for (const nlohmann::json& i : minimal) threads.insert(trace["steps"][i.get<std::size_t>()]["thread"].get<std::string>());
  CHECK(threads == std::set<std::string>{"writer0", "writer1", "mapper0", "mapper2"});
  cli::InputError error;
  auto sf = cli::parse_scenario("grid.json", s.dump(), error);
  REQUIRE(sf);
  Executor exec(model::build_program(sf->scenario));
  CHECK(replay(exec, trace["explain"]["minimal_decisions"].get<std::vector<uint32_t>>(), "dirty_backed").reproduced);
}
