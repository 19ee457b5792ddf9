// The fsmc command end to end: exit codes, bad input, traces that replay and
// are byte-identical across runs, the --json summary and JUnit output.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

struct Result {
  int exit;
  std::string out;
  std::string err;
};

// Runs fsmc from the source tree (scenario paths are relative to it).
Result fsmc(const std::string& args) {
  fs::path dir = fs::temp_directory_path() / "fsmc-cli-test";
  fs::create_directories(dir);
  std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::string cmd = "cd " FSMC_SOURCE_DIR " && " FSMC_BINARY " " + args + " >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("fsmc-cli-" + name);
  fs::remove_all(d);
  return d;
}

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

TEST_CASE("every counterexample of the violating scenarios replays") {
  int traces = 0;
  for (const auto& e : fs::directory_iterator(fs::path(FSMC_SOURCE_DIR) / "scenarios/xfs")) {
    nlohmann::json s = nlohmann::json::parse(slurp(e.path()));
    if (s["expect"]["verdict"] != "violation") continue;
    fs::path out = fresh_dir("replay");
    std::string rel = "scenarios/xfs/" + e.path().filename().string();
    CAPTURE(rel);
    CHECK(fsmc("run " + rel + " --out " + out.string()).exit == 1);
    for (const auto& t : fs::directory_iterator(out)) {
      ++traces;
      CHECK(fsmc("replay " + t.path().string()).exit == 0);
    }
  }
  CHECK(traces >= 5);
}

TEST_CASE("a trace whose decisions no longer lead to the violation does not replay") {
  fs::path out = fresh_dir("tamper");
  REQUIRE(fsmc("run " + violating + " --out " + out.string()).exit == 1);
  fs::path trace = out / "seed-race-v6.1.dirty_backed.json";
  nlohmann::ordered_json t = nlohmann::ordered_json::parse(slurp(trace));
  t["decisions"].erase(t["decisions"].end() - 1);  // stop one step short
  std::ofstream(out / "short.json") << t.dump();
  CHECK(fsmc("replay " + (out / "short.json").string()).exit == 1);
  t["scenario_json"]["kernel"] = "v6.1+198dd8ae";  // the fixed kernel: no violation there
  std::ofstream(out / "fixed.json") << t.dump();
  CHECK(fsmc("replay " + (out / "fixed.json").string()).exit == 1);
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
  CHECK(nlohmann::json::parse(two.out).is_array());
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
  CHECK(std::count(xml.begin(), xml.end(), '<') == std::count(xml.begin(), xml.end(), '>'));
  size_t open = 0, pos = 0;
  while ((pos = xml.find("<testcase", pos)) != std::string::npos) ++open, ++pos;
  CHECK(open == 2);
  CHECK(xml.find("</testsuites>") != std::string::npos);
  CHECK(fsmc("check tests/cli/bad/unknown-op.json").exit == 2);
}

TEST_CASE("show prints one column per thread and marks the violating step; list names what the model knows") {
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
