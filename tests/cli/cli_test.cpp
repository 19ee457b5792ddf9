// The fsmc command end to end: exit codes, bad input, traces that replay and
// are byte-identical across runs, the --json summary and JUnit output.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"
#include "well_formed.hpp"

using namespace cli_test;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";
const std::string fixed = "scenarios/xfs/seed-race-v6.1-198dd8ae.json";

}  // namespace

TEST_CASE("exit codes: 0 pass, 1 violation, 2 bad input or usage, 3 inconclusive") {
  fs::path out = fresh_dir("exit");
  CHECK(fsmc("run " + fixed + " --out " + out.string()).exit == 0);
  CHECK(fsmc("run " + violating + " --out " + out.string()).exit == 1);
  CHECK(fsmc("run tests/cli/bad/unknown-op.json").exit == 2);
  CHECK(fsmc("run " + fixed + " --max-executions 5").exit == 3);
  Result bounded = fsmc("run " + fixed + " --strategy bounded --preemptions 1");
  CHECK(bounded.exit == 0);
  CHECK(bounded.out.find("bounded") != std::string::npos);
  CHECK(bounded.out.find("not a proof") != std::string::npos);
  Result usage = fsmc("run " + fixed + " --no-such-flag");
  CHECK(usage.exit == 2);
  CHECK(usage.err.find("--no-such-flag") != std::string::npos);
  CHECK(fsmc("run " + fixed + " --strategy bfs").exit == 2);
  CHECK(fsmc("run " + fixed + " --kernel v6.3").exit == 2);
  CHECK(fsmc("frobnicate").exit == 2);
}

TEST_CASE("each cap that stops a search says which, and how to raise it") {
  Result executions = fsmc("run " + fixed + " --max-executions 5");
  CHECK(executions.exit == 3);
  CHECK(executions.out.find("the execution cap stopped the search before it finished; raise --max-executions") !=
        std::string::npos);
  // A write, a punch and writeback over 8 pages: some 200,000 states, more than 1 MiB of them.
  fs::path dir = fresh_dir("memory");
  fs::create_directories(dir);
  std::ofstream(dir / "big.json") << R"({"fsmc": 1, "name": "big", "kernel": "v6.2", "file": {"size": 8, "pages": 8},
    "threads": [{"name": "writer", "ops": [{"op": "write", "page": 0, "pages": 8}]},
                {"name": "puncher", "ops": [{"op": "punch_hole", "page": 0, "pages": 8}]},
                {"name": "flusher", "ops": [{"op": "writeback"}]}]})";
  Result memory = fsmc("run " + (dir / "big.json").string() + " --stateful --strategy dfs --max-memory 1");
  CHECK(memory.exit == 3);
  CHECK(memory.out.find("raise --max-memory") != std::string::npos);
  CHECK(fsmc("run " + fixed + " --max-memory 0").exit == 2);
}

TEST_CASE("every broken scenario gets its one-line message, exit 2, and nothing written") {
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(FSMC_SOURCE_DIR) / "tests/cli/bad")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    std::string rel = "tests/cli/bad/" + e.path().filename().string();
    CAPTURE(rel);
    fs::path out = fresh_dir("bad");
    Result r = fsmc("run " + rel + " --out " + out.string());
    fs::path expected = e.path();
    expected.replace_extension(".expected");
    CHECK(r.exit == 2);
    CHECK(r.err == slurp(expected));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out));
  }
  CHECK(files >= 20);
}

TEST_CASE("the same scenario and seed give byte-identical traces, which replay to the same violation") {
  fs::path a = fresh_dir("a"), b = fresh_dir("b");
  REQUIRE(fsmc("run " + violating + " --out " + a.string()).exit == 1);
  REQUIRE(fsmc("run " + violating + " --out " + b.string()).exit == 1);
  fs::path trace = a / "seed-race-v6.1.dirty_backed.json";
  REQUIRE(fs::exists(trace));
  CHECK(slurp(trace) == slurp(b / "seed-race-v6.1.dirty_backed.json"));
  CHECK(slurp(trace).find(FSMC_SOURCE_DIR) == std::string::npos);  // no absolute paths
  Result r = fsmc("replay " + trace.string());
  CHECK(r.exit == 0);
  CHECK(r.out.find("reproduced: dirty_backed at step") != std::string::npos);
}

TEST_CASE("a counterexample of the stateful search is byte-identical across runs and replays") {
  // store-before-cleanup in v6.1+198dd8ae: found by the stateful search
  // itself (no bounded rounds before it), behind states it cached.
  const std::string file = "scenarios/xfs/store-before-cleanup-v6.1-198dd8ae.json";
  fs::path a = fresh_dir("stateful-a"), b = fresh_dir("stateful-b");
  Result first = fsmc("run " + file + " --strategy dfs --stateful --out " + a.string());
  REQUIRE(first.exit == 1);
  CHECK(first.out.find("states cached") != std::string::npos);
  REQUIRE(fsmc("run " + file + " --strategy dfs --stateful --out " + b.string()).exit == 1);
  fs::path trace = a / "store-before-cleanup-v6.1-198dd8ae.no_lost_data.json";
  REQUIRE(fs::exists(trace));
  CHECK(slurp(trace) == slurp(b / trace.filename()));
  Result r = fsmc("replay " + trace.string());
  CHECK(r.exit == 0);
  CHECK(r.out.find("reproduced: no_lost_data at step") != std::string::npos);
}

TEST_CASE("check --out writes a trace for every expected violation, and every one of them replays") {
  std::string paths;
  std::vector<std::string> expected;  // trace file names
  for (const auto& e : fs::recursive_directory_iterator(fs::path(FSMC_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".json") continue;
    nlohmann::json s = nlohmann::json::parse(slurp(e.path()));
    if (s["expect"]["verdict"] != "violation") continue;
    paths += " " + fs::relative(e.path(), FSMC_SOURCE_DIR).string();
    std::vector<std::string> names = s["expect"].contains("invariant")
                                         ? std::vector<std::string>{s["expect"]["invariant"]}
                                         : s["expect"]["invariants"].get<std::vector<std::string>>();
    for (const std::string& invariant : names) expected.push_back(s["name"].get<std::string>() + "." + invariant + ".json");
  }
  REQUIRE(expected.size() >= 3);
  fs::path out = fresh_dir("check-out");
  Result check = fsmc("check" + paths + " --out " + out.string());
  CHECK(check.exit == 0);
  std::vector<std::string> written;
  for (const auto& t : fs::directory_iterator(out)) written.push_back(t.path().filename().string());
  std::sort(written.begin(), written.end());
  std::sort(expected.begin(), expected.end());
  CHECK(written == expected);
  for (const std::string& name : written) {
    CAPTURE(name);
    Result replay = fsmc("replay " + (out / name).string());
    CHECK(replay.exit == 0);
    CHECK(replay.out.find("reproduced: ") != std::string::npos);
  }
}

TEST_CASE("a trace whose decisions no longer lead to the violation does not replay") {
  fs::path out = fresh_dir("tamper");
  REQUIRE(fsmc("run " + violating + " --out " + out.string()).exit == 1);
  fs::path trace = out / "seed-race-v6.1.dirty_backed.json";
  nlohmann::ordered_json t = nlohmann::ordered_json::parse(slurp(trace));
  t["decisions"].erase(t["decisions"].end() - 1);  // stop one step short
  std::ofstream(out / "short.json") << t.dump();
  CHECK(fsmc("replay " + (out / "short.json").string()).exit == 1);
  t = nlohmann::ordered_json::parse(slurp(trace));
  t["scenario_json"]["kernel"] = "v6.1+198dd8ae";  // the fixed kernel: no violation there
  std::ofstream(out / "half-edited.json") << t.dump();
  Result half = fsmc("replay " + (out / "half-edited.json").string());
  CHECK(half.exit == 2);  // the header still says v6.1: the trace contradicts itself
  CHECK(half.err.find("kernel: expected the embedded scenario's kernel \"v6.1+198dd8ae\", got \"v6.1\"") !=
        std::string::npos);
  t["kernel"] = "v6.1+198dd8ae";
  t["fixes"]["invalidate_lock_punch"] = true;
  std::ofstream(out / "fixed.json") << t.dump();
  Result fixed_kernel = fsmc("replay " + (out / "fixed.json").string());
  CHECK(fixed_kernel.exit == 1);
  CHECK(fixed_kernel.out.find("not reproduced: ") != std::string::npos);
  std::ofstream(out / "garbage.json") << "{\"fsmc_trace\": 7}";
  Result g = fsmc("replay " + (out / "garbage.json").string());
  CHECK(g.exit == 2);
  CHECK(g.err.find("fsmc_trace") != std::string::npos);
}

TEST_CASE("--json prints the contract's summary fields on stdout only") {
  Result r = fsmc("run " + violating + " --json --out " + fresh_dir("json").string());
  CHECK(r.exit == 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  for (const char* key : {"scenario", "kernel", "verdict", "invariants", "executions", "exhaustive", "seconds", "traces"})
    CHECK(j.contains(key));
  CHECK(j["verdict"] == "violation");
  CHECK(j["invariants"] == nlohmann::json::array({"dirty_backed"}));
  CHECK(r.err.find("seed-race-v6.1") != std::string::npos);  // the human summary moved to stderr
  Result two = fsmc("run " + fixed + " " + fixed + " --json");
  nlohmann::json both = nlohmann::json::parse(two.out);
  REQUIRE(both.is_array());
  // The proof cached states: their count, and the odds that two of their
  // 64-bit keys collided, in the JSON and in the human summary.
  REQUIRE(both[0].contains("states"));
  uint64_t states = both[0]["states"];
  CHECK(both[0]["omission_probability"].get<double>() == doctest::Approx(states * (states - 1.0) / 2 / 18446744073709551616.0));
  CHECK(two.err.find(std::to_string(states) + " states cached (collision odds ") != std::string::npos);
}

TEST_CASE("check compares the violated set with expect and writes well-formed JUnit") {
  fs::path dir = fresh_dir("check");
  fs::create_directories(dir);
  // A scenario that expects the wrong thing must fail the gate.
  nlohmann::json wrong = nlohmann::json::parse(slurp(fs::path(FSMC_SOURCE_DIR) / violating));
  wrong["expect"] = {{"verdict", "pass"}};
  std::ofstream(dir / "wrong.json") << wrong.dump();
  fs::copy_file(fs::path(FSMC_SOURCE_DIR) / violating, dir / "right.json");
  fs::path junit = dir / "report.xml";
  Result r = fsmc("check " + dir.string() + " --junit " + junit.string());
  CHECK(r.exit == 1);
  CHECK(r.out.find("1 passed, 1 failed\n") != std::string::npos);
  CHECK(r.out.find("expected pass, found violation {dirty_backed}") != std::string::npos);
  std::string xml = slurp(junit);
  CHECK(xml.rfind("<?xml", 0) == 0);
  CHECK(xml.find("<testsuite name=\"fsmc check\" tests=\"2\" failures=\"1\"") != std::string::npos);
  CHECK(xml_error(xml) == std::nullopt);
  size_t open = 0, pos = 0;
  while ((pos = xml.find("<testcase", pos)) != std::string::npos) ++open, ++pos;
  CHECK(open == 2);
  CHECK(xml.find("</testsuites>") != std::string::npos);
  CHECK(fsmc("check tests/cli/bad/unknown-op.json").exit == 2);
}

TEST_CASE("show prints one column per thread and marks the violating step, and list names what the model knows") {
  fs::path out = fresh_dir("show");
  REQUIRE(fsmc("run " + violating + " --out " + out.string() + " --html").exit == 1);
  Result r = fsmc("show " + (out / "seed-race-v6.1.dirty_backed.json").string());
  CHECK(r.exit == 0);
  CHECK(r.out.find("| writer") != std::string::npos);
  CHECK(r.out.find("| mapper") != std::string::npos);
  CHECK(r.out.find(">>") != std::string::npos);
  CHECK(fs::exists(out / "seed-race-v6.1.dirty_backed.html"));
  CHECK(slurp(out / "seed-race-v6.1.dirty_backed.html").find("</html>") != std::string::npos);
  CHECK(fsmc("list kernels").out.find("v6.1+198dd8ae") != std::string::npos);
  CHECK(fsmc("list ops").out.find("mmap_write") != std::string::npos);
  CHECK(fsmc("list invariants").out.find("dirty_backed") != std::string::npos);
  CHECK(fsmc("list things").exit == 2);
}
