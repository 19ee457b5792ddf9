// fsmc --version, and the search flags `check` shares with `run`: a CI gate
// can be capped, and what it reports when a scenario is not as expected
// carries the violation and where its trace is.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"

using namespace cli_test;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";
const std::string fixed = "scenarios/xfs/seed-race-v6.1-198dd8ae.json";

}  // namespace

TEST_CASE("--version prints the version of fsmc and of its file formats") {
  Result r = fsmc("--version");
  CHECK(r.exit == 0);
  CHECK(r.out == "fsmc " FSMC_VERSION " (trace format 1, scenario format 1)\n");
  CHECK(r.err.empty());
}

TEST_CASE("check takes run's search flags: a cap makes a pass inconclusive, --kernel brings a fixed bug back") {
  Result capped = fsmc("check " + fixed + " --max-executions 5");
  CHECK(capped.exit == 1);
  CHECK(capped.out.find("FAIL  " + fixed + ": expected pass, found inconclusive (a cap stopped the search first)") !=
        std::string::npos);
  CHECK(fsmc("check " + fixed + " --seconds 0 --stateless").exit == 0);

  fs::path out = fresh_dir("check-kernel");
  Result back = fsmc("check " + fixed + " --kernel v6.1 --out " + out.string() + " --html");
  CHECK(back.exit == 1);
  fs::path trace = out / "seed-race-v6.1-198dd8ae.v6.1.dirty_backed.json";
  CHECK(fs::exists(trace));
  CHECK(fs::exists(out / "seed-race-v6.1-198dd8ae.v6.1.dirty_backed.html"));
  // The FAIL line, then the violation's message and the trace it left.
  std::string fail = "FAIL  " + fixed + ": expected pass, found violation {dirty_backed} (";
  std::size_t at = back.out.find(fail);
  REQUIRE(at != std::string::npos);
  std::size_t next = back.out.find('\n', at) + 1;
  CHECK(back.out.compare(next, 39, "  dirty_backed: page 1 is dirty but its") == 0);
  CHECK(back.out.find("\n  trace: " + trace.string() + "\n") != std::string::npos);
}

TEST_CASE("check's flag conflicts are run's: exit 2 before any search") {
  Result seed = fsmc("check " + fixed + " --seed 3");
  CHECK(seed.exit == 2);
  CHECK(seed.err.find("--seed: ignored by " + fixed + "'s strategy auto") != std::string::npos);
  CHECK(seed.out.empty());
  CHECK(fsmc("check " + fixed + " --stateful --stateless").exit == 2);
  Result html = fsmc("check " + fixed + " --html");
  CHECK(html.exit == 2);
  CHECK(html.err.find("--html requires --out") != std::string::npos);
  Result kernel = fsmc("check " + fixed + " --kernel v6.3");
  CHECK(kernel.exit == 2);
  CHECK(kernel.err.find("expected a kernel that fsmc list kernels names, got \"v6.3\"") != std::string::npos);
}

TEST_CASE("check --json: one object on stdout, the lines on stderr, JUnit failures carry message and trace") {
  fs::path out = fresh_dir("check-json");
  fs::path junit = out.string() + ".xml";
  Result r = fsmc("check " + violating + " " + fixed + " --kernel v6.1 --json --out " + out.string() + " --junit " +
                  junit.string());
  CHECK(r.exit == 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["passed"] == 1);
  CHECK(j["failed"] == 1);
  REQUIRE(j["scenarios"].size() == 2);
  CHECK(j["scenarios"][0]["scenario"] == "seed-race-v6.1");
  CHECK(j["scenarios"][0]["as_expected"] == true);
  CHECK(j["scenarios"][0]["traces"][0] == (out / "seed-race-v6.1.dirty_backed.json").string());
  CHECK(j["scenarios"][1]["kernel"] == "v6.1");
  CHECK(j["scenarios"][1]["expect"]["verdict"] == "pass");
  CHECK(j["scenarios"][1]["as_expected"] == false);
  CHECK(j["scenarios"][1]["difference"] == "expected pass, found violation {dirty_backed}");
  CHECK(r.err.find("FAIL  " + fixed) != std::string::npos);
  CHECK(r.err.find("1 passed, 1 failed") != std::string::npos);

  std::string xml = slurp(junit);
  fs::remove(junit);
  std::size_t failure = xml.find("<failure message=\"expected pass, found violation {dirty_backed}\">");
  REQUIRE(failure != std::string::npos);
  std::size_t end = xml.find("</failure>", failure);
  std::string body = xml.substr(failure, end - failure);
  CHECK(body.find("dirty_backed: page 1 is dirty but its extent is a hole") != std::string::npos);
  CHECK(body.find("trace: " + (out / "seed-race-v6.1-198dd8ae.v6.1.dirty_backed.json").string()) != std::string::npos);
}

TEST_CASE("run --html says where the chart is, in the summary and in --json") {
  fs::path out = fresh_dir("run-html");
  Result r = fsmc("run " + violating + " --html --out " + out.string());
  CHECK(r.exit == 1);
  std::string chart = (out / "seed-race-v6.1.dirty_backed.html").string();
  CHECK(r.out.find("\n  chart: " + chart + "\n") != std::string::npos);
  CHECK(fs::exists(chart));
  Result j = fsmc("run " + violating + " --html --json --out " + out.string());
  CHECK(nlohmann::json::parse(j.out)["charts"] == nlohmann::json::array({chart}));
  Result plain = fsmc("run " + violating + " --json --out " + out.string());
  CHECK_FALSE(nlohmann::json::parse(plain.out).contains("charts"));
}
