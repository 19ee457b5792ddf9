// --jobs, --shard and fsmc merge on the whole corpus: the verdicts, the
// violated sets and the trace bytes are the serial search's; merge refuses
// reports that do not make one search, in one line, writing nothing.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"

using namespace cli_test;

namespace {

const std::string corpus = "scenarios/xfs/*.json";

// Every file of a directory, by name, with its bytes.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out[e.path().filename().string()] = slurp(e.path());
  return out;
}

// Each scenario's verdict and violated set in `run --json`'s array.
std::map<std::string, std::string> verdicts(const std::string& json) {
  std::map<std::string, std::string> out;
  for (const auto& s : nlohmann::json::parse(json)) out[s["scenario"]] = s["verdict"].dump() + s["invariants"].dump();
  return out;
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(FSMC_SOURCE_DIR) / "scenarios/xfs"))
    names.push_back(e.path().stem().string());
  return names;
}

}  // namespace

TEST_CASE("jobs: on the corpus, --jobs 3 and three merged shards give the serial verdicts and trace bytes") {
  // --strategy dfs: the split search runs from the start, so a violation
  // is found by the workers and then by the serial search run again (with
  // auto, the bounded rounds find the corpus's violations first).
  fs::path serial_dir = fresh_dir("corpus-serial"), jobs_dir = fresh_dir("corpus-jobs3");
  fs::path shards = fresh_dir("corpus-shards"), merged = fresh_dir("corpus-merged");
  Result serial = fsmc("run " + corpus + " --json --strategy dfs --jobs 1 --out " + serial_dir.string());
  REQUIRE(serial.exit == 1);
  std::map<std::string, std::string> expected = verdicts(serial.out), traces = contents(serial_dir);
  CHECK(traces.size() >= 10);

  Result jobs = fsmc("run " + corpus + " --json --strategy dfs --jobs 3 --out " + jobs_dir.string());
  CHECK(jobs.exit == 1);
  CHECK(verdicts(jobs.out) == expected);
  CHECK(contents(jobs_dir) == traces);

  for (int i = 0; i < 3; ++i) {
    Result r = fsmc("run " + corpus + " --strategy dfs --jobs 1 --shard " + std::to_string(i) + "/3 --out " + shards.string());
    CHECK((r.exit == 0 || r.exit == 1));
  }
  std::vector<std::string> names = scenario_names();
  REQUIRE(contents(shards).size() == 3 * names.size());  // the reports, and no trace
  for (const std::string& name : names) {
    CAPTURE(name);
    Result m = fsmc("merge " + shards.string() + "/" + name + ".shard-*-of-3.json --json --out " + merged.string());
    nlohmann::json j = nlohmann::json::parse(m.out);
    CHECK(j["verdict"].dump() + j["invariants"].dump() == expected[name]);
  }
  CHECK(contents(merged) == traces);
}

TEST_CASE("jobs: merge refuses reports that are not one search's, in one line, writing nothing") {
  fs::path shards = fresh_dir("bad-shards"), out = fresh_dir("bad-merged");
  const std::string a = "scenarios/xfs/seed-race-v6.2.json", b = "scenarios/xfs/seed-race-two-pages-v6.2.json";
  for (int i = 0; i < 2; ++i) REQUIRE(fsmc("run " + a + " " + b + " --shard " + std::to_string(i) + "/2 --out " + shards.string()).exit == 0);
  fs::path other = fresh_dir("bad-shards-seed");
  REQUIRE(fsmc("run " + a + " --shard 1/2 --strategy dfs --out " + other.string()).exit == 0);
  fs::path three = fresh_dir("bad-shards-3");
  REQUIRE(fsmc("run " + a + " --shard 1/3 --out " + three.string()).exit == 0);
  std::string s = shards.string() + "/";
  struct Case {
    std::string reports, says;
  };
  const Case cases[] = {
      {s + "seed-race-v6.2.shard-0-of-2.json", "shard 1 of 2 is missing"},
      {s + "seed-race-v6.2.shard-0-of-2.json " + s + "seed-race-v6.2.shard-0-of-2.json", "expected each shard once"},
      {s + "seed-race-v6.2.shard-0-of-2.json " + s + "seed-race-two-pages-v6.2.shard-1-of-2.json", "scenario_json: expected the scenario of"},
      {s + "seed-race-v6.2.shard-0-of-2.json " + other.string() + "/seed-race-v6.2.shard-1-of-2.json", "settings: expected the settings of"},
      {s + "seed-race-v6.2.shard-0-of-2.json " + three.string() + "/seed-race-v6.2.shard-1-of-3.json", "shards: expected 2 shards"},
      {"scenarios/xfs/seed-race-v6.2.json", "expected a shard report written by fsmc run --shard"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.reports);
    Result r = fsmc("merge " + c.reports + " --out " + out.string());
    CHECK(r.exit == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  // The same reports, whole, merge into the pass of the serial search.
  Result ok = fsmc("merge " + s + "seed-race-v6.2.shard-1-of-2.json " + s + "seed-race-v6.2.shard-0-of-2.json --json");
  CHECK(ok.exit == 0);
  CHECK(nlohmann::json::parse(ok.out)["verdict"] == "pass");
}

TEST_CASE("jobs: --shard auto takes the shard from Slurm's or Kubernetes' environment") {
  const std::string a = "scenarios/xfs/seed-race-v6.2.json";
  fs::path slurm = fresh_dir("auto-slurm"), k8s = fresh_dir("auto-k8s");
  CHECK(shell("SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_COUNT=3 " FSMC_BINARY " run " + a +
              " --shard auto --out " + slurm.string()).exit == 0);
  CHECK(contents(slurm).count("seed-race-v6.2.shard-1-of-3.json") == 1);
  CHECK(shell("JOB_COMPLETION_INDEX=2 " FSMC_BINARY " run " + a + " --shard auto --shard-count 4 --out " + k8s.string())
            .exit == 0);
  CHECK(contents(k8s).count("seed-race-v6.2.shard-2-of-4.json") == 1);
  Result r = shell("JOB_COMPLETION_INDEX=2 " FSMC_BINARY " run " + a + " --shard auto --out " + k8s.string());
  CHECK(r.exit == 2);
  CHECK(r.err.find("with --shard-count N") != std::string::npos);
}

TEST_CASE("jobs: fsmc tasks lists the tasks run --task takes") {
  Result t = fsmc("tasks scenarios/xfs/seed-race-v6.2.json");
  REQUIRE(t.exit == 0);
  CHECK(t.out.find("seed-race-v6.2 [v6.2]: ") == 0);
  std::size_t n = std::stoul(t.out.substr(t.out.find(": ") + 2));
  CHECK(n >= 2);
  CHECK(static_cast<std::size_t>(std::count(t.out.begin(), t.out.end(), '\n')) == n + 1);
  Result last = fsmc("run scenarios/xfs/seed-race-v6.2.json --task " + std::to_string(n - 1));
  CHECK(last.exit == 0);
  CHECK(last.out.find("task " + std::to_string(n - 1) + " of " + std::to_string(n) + ": no violation") != std::string::npos);
  CHECK(fsmc("run scenarios/xfs/seed-race-v6.2.json --task " + std::to_string(n)).exit == 2);
}

TEST_CASE("jobs: a pass's counts are said to vary with several workers, and --jobs 1 says nothing of it") {
  const std::string a = "scenarios/xfs/seed-race-v6.2.json", says = "they vary from run to run";
  Result serial = fsmc("run " + a + " --jobs 1 --json --out " + fresh_dir("vary-1").string());
  REQUIRE(serial.exit == 0);
  CHECK(serial.err.find(says) == std::string::npos);
  CHECK_FALSE(nlohmann::json::parse(serial.out).contains("counts_vary"));
  // A proof this small ends on one core before the workers would start: nothing varies.
  Result small = fsmc("run " + a + " --jobs 2 --json --out " + fresh_dir("vary-small").string());
  REQUIRE(small.exit == 0);
  CHECK_FALSE(nlohmann::json::parse(small.out).contains("counts_vary"));
  // The grid's n2t4 proof (bench/grid.sh) runs long enough to be split.
  Result two = fsmc("run bench/scenarios/grid-n2t4-v6.2.json --jobs 2 --json --out " + fresh_dir("vary-2").string());
  REQUIRE(two.exit == 0);
  CHECK(two.err.find("counts from 2 workers sharing their states: " + says) != std::string::npos);
  CHECK(nlohmann::json::parse(two.out)["counts_vary"] == true);
  // A violation's counts are the serial search's, run again: nothing varies.
  Result found = fsmc("run scenarios/xfs/seed-race-v6.1.json --strategy dfs --jobs 2 --json --out " + fresh_dir("vary-found").string());
  CHECK(found.exit == 1);
  CHECK_FALSE(nlohmann::json::parse(found.out).contains("counts_vary"));
  // Merged shards say it when some shard ran on several workers.
  for (const char* jobs : {"1", "2"}) {
    CAPTURE(jobs);
    fs::path shards = fresh_dir(std::string("vary-shards-") + jobs);
    for (int i = 0; i < 2; ++i)
      REQUIRE(fsmc("run " + a + " --jobs " + jobs + " --shard " + std::to_string(i) + "/2 --out " + shards.string()).exit == 0);
    Result m = fsmc("merge " + shards.string() + "/seed-race-v6.2.shard-0-of-2.json " + shards.string() +
                    "/seed-race-v6.2.shard-1-of-2.json --json --out " + fresh_dir("vary-merged").string());
    REQUIRE(m.exit == 0);
    CHECK(nlohmann::json::parse(m.out).contains("counts_vary") == (jobs == std::string("2")));
  }
}

TEST_CASE("jobs: check --jobs 3 searches scenarios at once and prints the serial gate's lines, JUnit and traces") {
  // --kernel v6.1: the fixed variants fail, so FAIL lines with their details
  // and traces are among the ok lines.
  std::map<std::string, std::string> lines, junit;
  std::map<std::string, std::map<std::string, std::string>> traces;
  for (const char* jobs : {"1", "3"}) {
    fs::path out = fresh_dir(std::string("check-jobs-") + jobs), xml = fresh_dir(std::string("check-junit-") + jobs + ".xml");
    Result r = fsmc("check scenarios/xfs --kernel v6.1 --jobs " + std::string(jobs) + " --junit " + xml.string() +
                    " --out " + out.string());
    CHECK(r.exit == 1);
    // Seconds and the folder's name are all that may differ.
    auto normal = [&out](std::string text) {
      text = std::regex_replace(text, std::regex(", [0-9.]+ s\\)|time=\"[^\"]*\""), "");
      for (std::size_t at; (at = text.find(out.string())) != std::string::npos;) text.replace(at, out.string().size(), "OUT");
      return text;
    };
    lines[jobs] = normal(r.out);
    junit[jobs] = normal(slurp(xml));
    traces[jobs] = contents(out);
  }
  CHECK(lines["1"].find("FAIL  ") != std::string::npos);
  CHECK(lines["1"].find("ok    ") != std::string::npos);
  CHECK(lines["3"] == lines["1"]);
  CHECK(junit["3"] == junit["1"]);
  CHECK(traces["1"].size() >= 10);
  CHECK(traces["3"] == traces["1"]);
}
