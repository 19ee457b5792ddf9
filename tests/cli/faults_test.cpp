// What fsmc keeps when things go wrong around a search: an interrupt
// (SIGINT, SIGTERM) ends it with the verdict so far, valid JSON and JUnit and
// the traces already found; an output that cannot be written is found before
// the search, or reported after the verdict; a counterexample that does not
// replay is never written.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <signal.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/search_scenario.hpp"
#include "fsmc_process.hpp"
#include "well_formed.hpp"

using namespace cli_test;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";

// A scenario whose stateless dfs search runs for hours and finds nothing
// early, to be interrupted; the --seconds cap of each test is only a backstop.
fs::path long_scenario(const fs::path& dir, const std::string& name) {
  nlohmann::json s = nlohmann::json::parse(slurp(fs::path(FSMC_SOURCE_DIR) / "scenarios/xfs/seed-race-any-copy-v6.2.json"));
  s["name"] = name;
  s["file"] = {{"size", 4}, {"pages", 4}};
  s["threads"] = nlohmann::json::array();
  for (int t = 0; t < 4; ++t)
    s["threads"].push_back({{"name", "writer" + std::to_string(t)},
                            {"ops", {{{"op", "write"}, {"page", t}, {"pages", 1}}, {{"op", "writeback"}}}}});
  s["search"] = {{"strategy", "dfs"}, {"stateful", false}};
  fs::create_directories(dir);
  fs::path file = dir / (name + ".json");
  std::ofstream(file) << s.dump(2);
  return file;
}

std::size_t lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

}  // namespace

TEST_CASE("SIGINT during run: inconclusive, exit 3, the summary so far and valid JSON") {
  fs::path dir = fresh_dir("sigint-run");
  fs::path scenario = long_scenario(dir, "long-search");
  Child c = start_fsmc("run " + scenario.string() + " --json --seconds 600 --out " + (dir / "out").string(), dir / "io");
  REQUIRE(wait_until(c, [&] { return catches(c.pid, SIGINT); }));
  kill(c.pid, SIGINT);
  Result r = finish(c);
  CHECK(r.exit == 3);
  nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["scenario"] == "long-search");
  CHECK(j["verdict"] == "inconclusive");
  CHECK(j["exhaustive"] == false);
  CHECK(j["traces"].empty());
  CHECK(r.err.find("long-search [v6.2]: inconclusive (") != std::string::npos);
  CHECK(r.err.find("interrupted before the search finished") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("SIGTERM during run after a violation: exit 1, its trace written, the JSON of both scenarios") {
  fs::path dir = fresh_dir("sigterm-run");
  fs::path scenario = long_scenario(dir, "long-search");
  fs::path out = dir / "out", trace = out / "seed-race-v6.1.dirty_backed.json";
  Child c = start_fsmc("run " + violating + " " + scenario.string() + " --json --seconds 600 --out " + out.string(),
                       dir / "io");
  // The first scenario's summary is printed once its trace is written;
  // the second scenario starts right after it (and runs for minutes).
  REQUIRE(wait_until(c, [&] { return slurp(c.err).find("seed-race-v6.1 [v6.1]: violation") != std::string::npos; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(c.pid, SIGTERM);
  Result r = finish(c);
  CHECK(r.exit == 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0]["verdict"] == "violation");
  CHECK(j[0]["traces"] == nlohmann::json::array({trace.string()}));
  CHECK(j[1]["verdict"] == "inconclusive");
  CHECK(r.err.find("interrupted before the search finished") != std::string::npos);
  CHECK(cli_test::fsmc("replay " + trace.string()).exit == 0);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(out)) files.push_back(e.path().filename().string());
  CHECK(files == std::vector<std::string>{"seed-race-v6.1.dirty_backed.json"});  // nothing half-written beside it
}

TEST_CASE("SIGINT during check: the JUnit of the scenarios finished, the interrupted one as an error, exit 3") {
  fs::path dir = fresh_dir("sigint-check");
  fs::path scenarios = dir / "scenarios";
  fs::create_directories(scenarios);
  fs::copy_file(fs::path(FSMC_SOURCE_DIR) / violating, scenarios / "a-seed-race.json");
  long_scenario(scenarios, "b-long-search");
  fs::path out = dir / "out", junit = dir / "report.xml";
  Child c = start_fsmc("check " + scenarios.string() + " --jobs 2 --junit " + junit.string() + " --out " + out.string(),
                       dir / "io");
  // The two scenarios start at once (two at a time: --jobs 2); the first's
  // trace is written when its search is done, within milliseconds, while the
  // second runs for minutes. The interrupt may reach the gate still taking
  // the first: the second is reported interrupted all the same.
  REQUIRE(wait_until(c, [&] { return fs::exists(out / "seed-race-v6.1.dirty_backed.json"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the second's thread has started its search
  kill(c.pid, SIGINT);
  Result r = finish(c);
  CHECK(r.exit == 3);
  CHECK(r.out.find("ok    " + (scenarios / "a-seed-race.json").string() + ": violation {dirty_backed}") !=
        std::string::npos);
  CHECK(r.out.find("INTR  " + (scenarios / "b-long-search.json").string() + ": interrupted before the search finished") !=
        std::string::npos);
  CHECK(r.out.find("1 passed, 0 failed, 1 interrupted, 0 not started\n") != std::string::npos);
  std::string xml = slurp(junit);
  CHECK(xml_error(xml) == std::nullopt);
  CHECK(xml.find("<testsuite name=\"fsmc check\" tests=\"2\" failures=\"0\" errors=\"1\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"fsmc\" name=\"seed-race-v6.1\"") != std::string::npos);
  CHECK(xml.find("<error message=\"interrupted before the search finished\">") != std::string::npos);
}

TEST_CASE("--out and --junit are checked before the search: nothing printed, nothing created") {
  fs::path dir = fresh_dir("precheck");
  fs::create_directories(dir);
  std::ofstream(dir / "a-file") << "in the way\n";
  struct Case {
    std::string args;
    std::string says;
  };
  const Case cases[] = {
      {"run " + violating + " --out " + (dir / "a-file").string(), "a-file: cannot write ("},
      {"run " + violating + " --out " + (dir / "a-file" / "deeper" / "out").string(), "a-file is not a directory)"},
      {"check " + violating + " --out " + (dir / "a-file").string(), "a-file: cannot write ("},
      {"check " + violating + " --junit " + (dir / "no-such-dir" / "report.xml").string(),
       "no-such-dir does not exist)"},
      {"check " + violating + " --junit " + dir.string(), "expected a regular file to replace, got a directory"},
      {"check " + violating + " --junit /dev/null", "got a device or other special file"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    Result r = cli_test::fsmc(c.args);
    CHECK(r.exit == 2);
    CHECK(r.out.empty());  // no verdict: the search never started
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path().filename().string());
  CHECK(files == std::vector<std::string>{"a-file"});
}

TEST_CASE("a trace write that fails after the search (a full disk) prints the verdict, then one line, exit 2") {
  // A file size limit makes every write past it fail as a full disk would
  // (EFBIG); SIGXFSZ is ignored so that the write fails instead of killing.
  fs::path dir = fresh_dir("full");
  fs::path out = dir / "out", junit = dir / "report.xml";
  fs::create_directories(dir);
  std::string limited = "trap '' XFSZ; ulimit -f 4; " FSMC_BINARY " ";
  Result r = shell(limited + "run " + violating + " --out " + out.string());
  CHECK(r.exit == 2);
  CHECK(r.out.find("seed-race-v6.1 [v6.1]: violation of dirty_backed") != std::string::npos);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("seed-race-v6.1.dirty_backed.json: cannot write (File too large)") != std::string::npos);
  CHECK(fs::is_empty(out));  // neither the trace nor its temporary file
  // No file at all can be written here; fsmc's output goes through a pipe,
  // which the limit does not cover.
  Result check = shell("{ (trap '' XFSZ; ulimit -f 0; " FSMC_BINARY " check " + violating + " --junit " +
                       junit.string() + " 2>&1; echo \"exit $?\") | cat; }");
  CHECK(check.out == "ok    " + violating + ": violation {dirty_backed} " +
                         check.out.substr(check.out.find('('), check.out.find(')') - check.out.find('(') + 1) +
                         "\n1 passed, 0 failed\n" + junit.string() + ": cannot write (File too large)\nexit 2\n");
  CHECK_FALSE(fs::exists(junit));
}

TEST_CASE("a counterexample that does not replay is an internal error, and its trace is not written") {
  using namespace fsmc;
  fs::path out = fresh_dir("no-replay");
  cli::InputError error;
  auto sf = cli::read_scenario(std::string(FSMC_SOURCE_DIR) + "/" + violating, error);
  REQUIRE(sf);
  cli::Outcome outcome;
  outcome.result.verdict = Verdict::violation;
  Counterexample c;
  c.violation.invariant = "dirty_backed";
  c.replays = false;  // what the engine says when re-running the decisions did not reproduce it
  outcome.result.counterexamples.push_back(c);
  cli::write_traces(*sf, out.string(), false, outcome);
  CHECK(outcome.internal_error == "the counterexample of dirty_backed found in seed-race-v6.1 does not replay, so no "
                                  "trace was written for it");
  CHECK(outcome.traces.empty());
  CHECK_FALSE(fs::exists(out / "seed-race-v6.1.dirty_backed.json"));
  // The same counterexample, replaying, is written.
  outcome = {};
  c.replays = true;
  outcome.result.counterexamples.push_back(c);
  cli::write_traces(*sf, out.string(), false, outcome);
  CHECK(outcome.internal_error.empty());
  CHECK(fs::exists(out / "seed-race-v6.1.dirty_backed.json"));
}
