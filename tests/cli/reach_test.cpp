// Non-vacuity end to end: the step ids each search reached in the text,
// --json and JUnit summaries; reach goals met and missed; the verdict
// vacuous with its exit code 4 and as an expectation of fsmc check; and
// bad goals refused as input errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"
#include "model/kernel_steps.hpp"

using namespace cli_test;

namespace {

const std::string fixed = "scenarios/xfs/seed-race-v6.1-198dd8ae.json";
const std::string vacuous = "scenarios/xfs/seed-race-dirty-in-window-v6.1-198dd8ae.json";

bool has(const nlohmann::json& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// The vacuous scenario with `change` applied, written to a scratch file.
fs::path variant(const std::string& name, void (*change)(nlohmann::ordered_json&)) {
  nlohmann::ordered_json s = nlohmann::ordered_json::parse(slurp(fs::path(FSMC_SOURCE_DIR) / vacuous));
  change(s);
  fs::path dir = fresh_dir("reach-" + name);
  fs::create_directories(dir);
  fs::path p = dir / (name + ".json");
  std::ofstream(p) << s.dump(2);
  return p;
}

}  // namespace

TEST_CASE("reach: the fixed seed race is a pass that entered the window") {
  Result text = cli_test::fsmc("run " + fixed + " --out " + fresh_dir("reach-fixed").string());
  CHECK(text.exit == 0);
  CHECK(text.out.find("seed-race-v6.1-198dd8ae [v6.1+198dd8ae]: pass") == 0);
  CHECK(text.out.find("  reach M12 after E5 before E6: reached\n") != std::string::npos);
  std::size_t total = fsmc::model::kernel_steps().size();
  CHECK(text.out.find(" of " + std::to_string(total) + "; not reached: ") != std::string::npos);

  Result json = cli_test::fsmc("run --json " + fixed + " --out " + fresh_dir("reach-fixed-json").string());
  CHECK(json.exit == 0);
  nlohmann::json j = nlohmann::json::parse(json.out);
  CHECK(j["verdict"] == "pass");
  CHECK(j["reach"] == nlohmann::json::parse(R"([{"step": "M12", "after": "E5", "before": "E6", "reached": true}])"));
  CHECK(j["steps_reached"].size() + j["steps_not_reached"].size() == total);
  for (const char* id : {"W1", "E4'", "E5", "E6", "E7", "M4", "M12", "RF3", "WB1"}) CHECK_MESSAGE(has(j["steps_reached"], id), id);
  for (const char* id : {"R1", "TR0", "PH1", "EV1", "RD0"}) CHECK_MESSAGE(has(j["steps_not_reached"], id), id);
  std::string line = "  steps reached: " + std::to_string(j["steps_reached"].size()) + " of " + std::to_string(total);
  CHECK(text.out.find(line) != std::string::npos);
}

TEST_CASE("reach: a goal no execution meets makes the pass vacuous, exit 4") {
  Result r = cli_test::fsmc("run " + vacuous + " --out " + fresh_dir("reach-vacuous").string());
  CHECK(r.exit == 4);
  CHECK(r.out.find("seed-race-dirty-in-window-v6.1-198dd8ae [v6.1+198dd8ae]: vacuous (") == 0);
  CHECK(r.out.find("  reach M7 after E5 before E6: not reached by any execution\n") != std::string::npos);
  CHECK(r.out.find("this pass proves nothing") != std::string::npos);
  nlohmann::json j = nlohmann::json::parse(cli_test::fsmc("run --json " + vacuous + " --out " + fresh_dir("reach-v-json").string()).out);
  CHECK(j["verdict"] == "vacuous");
  CHECK(j["exhaustive"] == true);
  CHECK(j["reach"][0]["reached"] == false);

  // The same goal on v6.1, where the fault dirties the page inside the window: the race.
  Result before_fix = cli_test::fsmc("run --json " + vacuous + " --kernel v6.1 --out " + fresh_dir("reach-v61").string());
  CHECK(before_fix.exit == 1);
  nlohmann::json v = nlohmann::json::parse(before_fix.out);
  CHECK(v["verdict"] == "violation");
  CHECK(v["reach"][0]["reached"] == true);

  // Not exhaustive: not vacuous, the goal is reported as not reached yet.
  Result capped = cli_test::fsmc("run " + vacuous + " --max-executions 3");
  CHECK(capped.exit == 3);
  CHECK(capped.out.find("reach M7 after E5 before E6: not reached (yet") != std::string::npos);
}

TEST_CASE("reach: fsmc check takes vacuous as a verdict to expect, and fails a vacuous pass") {
  fs::path dir = fresh_dir("reach-junit");
  fs::create_directories(dir);
  fs::path junit = dir / "report.xml";
  Result ok = cli_test::fsmc("check " + vacuous + " --junit " + junit.string());
  CHECK(ok.exit == 0);
  CHECK(ok.out.find("ok    " + vacuous + ": vacuous") == 0);
  std::string xml = slurp(junit);
  CHECK(xml.find("<property name=\"reach M7 after E5 before E6\" value=\"not reached\"/>") != std::string::npos);
  CHECK(xml.find("<property name=\"steps_reached\" value=\"") != std::string::npos);

  fs::path expects_pass = variant("expects-pass", [](nlohmann::ordered_json& s) { s["expect"]["verdict"] = "pass"; });
  Result fail = cli_test::fsmc("check " + expects_pass.string());
  CHECK(fail.exit == 1);
  CHECK(fail.out.find("FAIL  " + expects_pass.string() +
                      ": expected pass, found vacuous (never reached: M7 after E5 before E6)") == 0);
}

TEST_CASE("reach: unknown step ids and malformed goals are input errors") {
  struct Case {
    const char* name;
    void (*change)(nlohmann::ordered_json&);
    const char* says;
  };
  const Case cases[] = {
      {"unknown-step", [](nlohmann::ordered_json& s) { s["reach"][0]["step"] = "M13"; },
       ": reach[0].step: unknown step id \"M13\" (expected one of W1, W5, "},
      {"unknown-after", [](nlohmann::ordered_json& s) { s["reach"][0]["after"] = "E2"; },
       ": reach[0].after: unknown step id \"E2\""},
      {"before-alone", [](nlohmann::ordered_json& s) { s["reach"][0].erase("after"); },
       ": reach[0].before: expected only together with \"after\""},
      {"no-step", [](nlohmann::ordered_json& s) { s["reach"][0].erase("step"); },
       ": reach[0].step: missing (expected a step id such as M12)"},
      {"typo", [](nlohmann::ordered_json& s) { s["reach"][0]["stpe"] = "M7"; },
       ": reach[0].stpe: unknown field (expected one of step, after, before); did you mean \"step\"?"},
      {"empty", [](nlohmann::ordered_json& s) { s["reach"] = nlohmann::ordered_json::array(); },
       ": reach: expected 1 to 16 goals, got 0"},
      {"vacuous-without-goals", [](nlohmann::ordered_json& s) { s.erase("reach"); },
       ": expect.verdict: expected \"vacuous\" only with reach goals"},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.name));
    fs::path p = variant(c.name, c.change);
    Result r = cli_test::fsmc("run " + p.string());
    CHECK(r.exit == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(p.string() + c.says) == 0);
  }
}
