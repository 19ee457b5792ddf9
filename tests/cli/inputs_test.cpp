// Every input is an error or a result, never a crash or a blow-up: sizes,
// nesting and numbers past their limits, names that would garble a terminal,
// traces that disagree with themselves, flags that would be ignored, and
// what `fsmc check` meets in a folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"
#include "well_formed.hpp"

using namespace cli_test;
using ojson = nlohmann::ordered_json;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";
const std::string fixed = "scenarios/xfs/seed-race-v6.1-198dd8ae.json";

std::size_t lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

// A good trace of `violating`, written into `dir`.
ojson good_trace(const fs::path& dir) {
  REQUIRE(fsmc("run " + violating + " --out " + dir.string()).exit == 1);
  return ojson::parse(slurp(dir / "seed-race-v6.1.dirty_backed.json"));
}

void expect_error(const std::string& args, const std::string& says) {
  CAPTURE(args);
  Result r = fsmc(args);
  CHECK(r.exit == 2);
  CHECK(r.out.empty());
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find(says) != std::string::npos);
}

}  // namespace

TEST_CASE("a scenario or trace past its size limit is refused without reading it all") {
  fs::path dir = fresh_dir("sizes");
  fs::create_directories(dir);
  ojson big = ojson::parse(slurp(fs::path(FSMC_SOURCE_DIR) / fixed));
  big["description"] = std::string((1 << 20) + 1, 'x');
  std::ofstream(dir / "big.json") << big.dump();
  expect_error("run " + (dir / "big.json").string(), "big.json: larger than 1 MiB, the limit for a scenario file");
  expect_error("run /dev/zero", "/dev/zero: larger than 1 MiB, the limit for a scenario file");
  expect_error("show /dev/zero", "/dev/zero: larger than 64 MiB, the limit for a trace");
}

TEST_CASE("a scenario where a trace is expected, and the reverse, are named for what they are") {
  expect_error("replay " + violating, "fsmc_trace: expected a trace, got a scenario file (search it with fsmc run or fsmc check)");
  expect_error("show " + violating, "fsmc_trace: expected a trace, got a scenario file");
  fs::path dir = fresh_dir("which-is-which");
  good_trace(dir);
  std::string trace = (dir / "seed-race-v6.1.dirty_backed.json").string();
  expect_error("run " + trace, "fsmc_trace: expected a scenario file, got a trace (read it with fsmc replay or fsmc show)");
  expect_error("check " + trace, "fsmc_trace: expected a scenario file, got a trace");
}

TEST_CASE("every field of a trace is checked, and against the embedded scenario, by replay and show alike") {
  fs::path dir = fresh_dir("trace-fields");
  const ojson good = good_trace(dir);
  std::size_t first_mapper_step = 0;
  while (good["steps"][first_mapper_step]["thread"] != "mapper") ++first_mapper_step;
  const std::string mapper_at = "steps[" + std::to_string(first_mapper_step) + "].thread";
  struct Case {
    std::string name;
    std::string text;
    std::string says;
  };
  std::vector<Case> cases;
  auto broken = [&](const std::string& name, auto change, const std::string& says) {
    ojson t = good;
    change(t);
    cases.push_back({name, t.dump(2), says});
  };
  broken("scenario-number", [](ojson& t) { t["scenario"] = 5; }, "scenario: expected a string");
  broken("kernel-array", [](ojson& t) { t["kernel"] = {"v6.1"}; }, "kernel: expected a string");
  broken("scenario-other", [](ojson& t) { t["scenario"] = "other"; },
         "scenario: expected the embedded scenario's name \"seed-race-v6.1\", got \"other\"");
  broken("kernel-other", [](ojson& t) { t["kernel"] = "v6.2"; },
         "kernel: expected the embedded scenario's kernel \"v6.1\", got \"v6.2\"");
  broken("fix-flipped", [](ojson& t) { t["fixes"]["iomap_valid"] = true; },
         "fixes.iomap_valid: expected false (kernel v6.1 with the embedded scenario's fixes), got true");
  broken("fix-unknown", [](ojson& t) { t["fixes"]["made_up"] = true; }, "fixes: expected the fixes of the model, got an unknown fix \"made_up\"");
  broken("step-thread", [&](ojson& t) { t["steps"][first_mapper_step]["thread"] = "intruder"; },
         mapper_at + ": expected a thread of the embedded scenario or one of its I/O completion workers, got \"intruder\"");
  broken("scenario-thread", [](ojson& t) { t["scenario_json"]["threads"][1]["name"] = "mapper2"; },
         mapper_at + ": expected a thread of the embedded scenario or one of its I/O completion workers, got \"mapper\"");
  broken("thread-control", [](ojson& t) { t["scenario_json"]["threads"][1]["name"] = "map\u001b[2Jper"; },
         "scenario_json: threads[1].name: expected a name of at most 32 letters, digits, - _ . + (not starting with .), got \"map\\u001b[2Jper\"");
  broken("invariant-unknown", [](ojson& t) { t["invariant"] = "no_such"; },
         "invariant: expected an invariant the embedded scenario checks, got \"no_such\"");
  broken("invariant-unchecked", [](ojson& t) { t["invariant"] = "reservations"; },
         "invariant: expected an invariant the embedded scenario checks, got \"reservations\"");
  broken("no-steps", [](ojson& t) { t["steps"] = ojson::array(); }, "steps: expected at least one step (the violating one)");
  broken("op-unknown", [](ojson& t) { t["steps"][0]["op"] = "teleport"; }, "steps[0].op: expected an operation the engine knows");
  broken("step-number", [](ojson& t) { t["steps"][2]["step"] = 7; }, "steps[2].step: expected 2 (steps are numbered in order from 0)");
  broken("detail-escape", [](ojson& t) { t["steps"][0]["detail"] = "\u001b[31mred"; },
         "steps[0].detail: expected printable text of at most 4096 bytes, without control characters");
  broken("detail-bidi", [](ojson& t) { t["steps"][1]["detail"] = "abc\u202edef"; }, "steps[1].detail: expected printable text");
  broken("detail-long", [](ojson& t) { t["steps"][1]["detail"] = std::string(5000, 'x'); }, "steps[1].detail: expected printable text of at most 4096 bytes");
  broken("locks-many", [](ojson& t) { t["steps"][0]["locks"] = std::vector<std::string>(257, "L"); },
         "steps[0].locks: expected an array of at most 256 lock names");
  broken("value-negative", [](ojson& t) { t["steps"][0]["value"] = -2; }, "steps[0].value: expected the chosen value");
  broken("state-nested", [](ojson& t) { t["state"]["size"] = {{"a", 1}}; }, "state.size: expected a string, number or boolean");
  broken("state-not-object", [](ojson& t) { t["state"] = 3; }, "state: expected an object");
  broken("message-number", [](ojson& t) { t["message"] = 3; }, "message: expected a string");
  broken("verdict-pass", [](ojson& t) { t["verdict"] = "pass"; }, "verdict: expected \"violation\"");
  broken("not-object", [](ojson& t) { t = ojson::array(); }, ": expected a JSON object (an fsmc trace)");
  cases.push_back({"deep", "{\"fsmc_trace\": 1, \"state\": " + std::string(60000, '[') + std::string(60000, ']') + "}",
                   "deep.json: state[0][0]"});
  cases.push_back({"deep-message", "{\"fsmc_trace\": 1, \"state\": " + std::string(60000, '[') + std::string(60000, ']') + "}",
                   ": expected at most 32 levels of nested arrays and objects"});
  std::string text = good.dump(2);
  cases.push_back({"overflow", text.replace(text.find("\"executions\": ") + 14, 1, "1e400"),
                   "overflow.json: stats.executions: expected a number of a sensible size, got \"1e400"});
  cases.push_back({"duplicate", "{\"fsmc_trace\": 1, \"fsmc_trace\": 1}", "duplicate.json: fsmc_trace: expected each field once"});
  for (const Case& c : cases) {
    CAPTURE(c.name);
    fs::path file = dir / (c.name + ".json");
    std::ofstream(file) << c.text;
    for (const char* command : {"replay ", "show "}) expect_error(command + file.string(), c.says);
  }
}

TEST_CASE("a replay that diverges names the decision it could not take and prints no violation it did not see") {
  fs::path dir = fresh_dir("diverge");
  ojson t = good_trace(dir);
  std::size_t n = t["decisions"].size();
  t["decisions"][0] = 7;  // there is no thread 7
  std::ofstream(dir / "diverges.json") << t.dump(2);
  Result r = fsmc("replay " + (dir / "diverges.json").string());
  CHECK(r.exit == 1);
  CHECK(r.out == "replayed 0 of the trace's " + std::to_string(t["steps"].size()) + " steps:\n" +
                     "not reproduced: decision 0 of " + std::to_string(n) +
                     " (thread 7, which the scenario does not have) cannot be taken before the first step: that "
                     "thread cannot run there\n");
  CHECK(r.out.find(t["message"].get<std::string>()) == std::string::npos);
  // The mapper asked to run where only the writer can: step 0 is the writer's.
  t["decisions"][0] = 1;
  std::ofstream(dir / "diverges-later.json") << t.dump(2);
  Result later = fsmc("replay " + (dir / "diverges-later.json").string());
  CHECK(later.exit == 1);
  CHECK(later.out.find("not reproduced: decision ") != std::string::npos);
  CHECK(later.out.find("(thread 1, mapper) cannot be taken") != std::string::npos);
  CHECK(later.out.find("dirty_backed violated") == std::string::npos);
}

TEST_CASE("a replay whose steps are not the ones the trace records is not reproduced, and says where") {
  fs::path dir = fresh_dir("steps-differ");
  ojson t = good_trace(dir);
  std::string thread = t["steps"][2]["thread"], function = t["steps"][2]["function"], op = t["steps"][2]["op"];
  t["steps"][2]["function"] = "made_up_function";
  std::ofstream(dir / "edited.json") << t.dump(2);
  Result r = fsmc("replay " + (dir / "edited.json").string());
  CHECK(r.exit == 1);
  CHECK(r.out.find("not reproduced: step 2 differs: the trace recorded " + thread + " in made_up_function (" + op +
                   "), the replay ran " + thread + " in " + function + " (" + op + ")\n") != std::string::npos);
}

TEST_CASE("a trace too large to show is refused with a message, not printed") {
  fs::path dir = fresh_dir("too-large");
  ojson t = good_trace(dir);
  ojson step = t["steps"][0];
  std::string words;
  for (int i = 0; i < 1300; ++i) words += "ab ";
  step["detail"] = words;  // a hundred wrapped lines in the table
  step["locks"] = ojson::array();
  t["steps"] = ojson::array();
  for (int i = 0; i < 8000; ++i) {
    step["step"] = i;
    t["steps"].push_back(step);
  }
  std::ofstream(dir / "large.json") << t.dump();
  expect_error("show " + (dir / "large.json").string(), "large.json: steps: too large to show (more than 64 MiB of text)");
}

TEST_CASE("flags that would be ignored or make no sense are errors naming them") {
  expect_error("run " + fixed + " --seed 3",
               "fsmc: --seed: ignored by " + fixed + "'s strategy auto (give --strategy to choose another); only random and pct use a seed");
  expect_error("run " + fixed + " --strategy dfs --preemptions 2",
               "fsmc: --preemptions: ignored by --strategy dfs; only auto and bounded bound preemptions");
  expect_error("run " + fixed + " --strategy random --stateful", "fsmc: --stateful: ignored by --strategy random; only auto and dfs cache states");
  expect_error("run " + fixed + " --strategy dpor --stateful", "--stateful: ignored by --strategy dpor");
  expect_error("run " + fixed + " --seconds nan", "--seconds: expected a number of seconds from 0, got \"nan\"");
  expect_error("run " + fixed + " --seconds inf", "--seconds: expected a number of seconds from 0, got \"inf\"");
  expect_error("run " + fixed + " --jobs 100000", "--jobs: expected at most 1024 jobs, got \"100000\"");
  expect_error("check " + fixed + " --junit ''", "--junit: expected a file name, got \"\"");
  fs::path dir = fresh_dir("flags");
  good_trace(dir);
  std::string trace = (dir / "seed-race-v6.1.dirty_backed.json").string();
  expect_error("show " + trace + " --html ''", "--html: expected a file name, got \"\"");
  expect_error("show " + trace + " --html " + (dir / "missing" / "chart.html").string(), "missing does not exist)");
  CHECK_FALSE(fs::exists(dir / "missing"));
  // The flags a strategy uses are still fine.
  for (const char* flags : {" --strategy random --seed 3", " --strategy pct --seed 3", " --strategy bounded --preemptions 1",
                            " --preemptions 1", " --stateful", " --strategy dfs --stateful"}) {
    CAPTURE(flags);
    Result r = fsmc("run " + fixed + flags + " --max-executions 50");
    CHECK(r.exit != 2);
    CHECK(r.err.empty());
  }
}

TEST_CASE("check skips the traces it finds among the scenarios, and stops at a folder entry it cannot read") {
  fs::path dir = fresh_dir("check-walk");
  fs::create_directories(dir);
  fs::copy_file(fs::path(FSMC_SOURCE_DIR) / violating, dir / "seed-race.json");
  std::string out = (dir / "out").string();
  REQUIRE(fsmc("check " + dir.string() + " --out " + out).exit == 0);
  Result again = fsmc("check " + dir.string() + " --out " + out);
  CHECK(again.exit == 0);
  CHECK(again.out.find("skip  " + out + "/seed-race-v6.1.dirty_backed.json: a trace, not a scenario\n") != std::string::npos);
  CHECK(again.out.find("1 passed, 0 failed\n") != std::string::npos);

  fs::create_symlink("loop.json", dir / "loop.json");
  expect_error("check " + dir.string(), "loop.json: cannot read (Too many levels of symbolic links)");
  fs::remove(dir / "loop.json");
  std::ofstream(dir / "new\nline.json") << "{}";
  expect_error("check " + dir.string(), "new\\nline.json\": expected a file name without control characters");
}
