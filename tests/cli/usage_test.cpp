// What fsmc says when it is used wrongly, and the promises around its output
// files: usage errors are one line with exit 2, bad trace files too, --out
// holds the traces and nothing else, and progress never reaches a log file.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "fsmc_process.hpp"

using namespace cli_test;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";
const std::string fixed = "scenarios/xfs/seed-race-v6.1-198dd8ae.json";

std::size_t lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("usage errors are one line on stderr, exit 2, and say what was expected") {
  struct Case {
    std::string args;
    std::string says;
  };
  const Case cases[] = {
      {"", "A subcommand is required"},
      {"rnu " + fixed, "unknown command \"rnu\" (expected run, check, replay, show, explain, matrix, list, tasks or merge); did you mean \"run\"?"},
      {"run", "FILE is required"},
      {"run " + fixed + " --seconds -1", "--seconds: expected a number of seconds from 0, got \"-1\""},
      {"run " + fixed + " --max-executions 0", "--max-executions: expected at least 1 execution, got \"0\""},
      {"run " + fixed + " --preemptions -3", "--preemptions: expected a bound from 0, got \"-3\""},
      {"run " + fixed + " --seed -1", "--seed: expected a seed from 0, got \"-1\""},
      {"run " + fixed + " --jobs 0", "--jobs: expected at least 1 job, got \"0\""},
      {"run " + fixed + " --strategy bfs", "--strategy: expected auto, dfs, dpor, bounded, random or pct, got \"bfs\""},
      {"run " + fixed + " --kernel v6.1+198dd8ea", "did you mean \"v6.1+198dd8ae\"?"},
      {"run " + fixed + " --shard 4/4", "fsmc: --shard 4/4: expected I/N with N from 1 and I from 0 to N-1, or auto"},
      {"run " + fixed + " --shard auto", "fsmc: --shard auto: expected SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT"},
      {"run " + fixed + " --task 100000", "fsmc: --task 100000: expected a task of"},
      {"merge a.json b.json", "a.json: cannot read"},
      {"list kernals", "expected kernels, ops or invariants, got \"kernals\"; did you mean \"kernels\"?"},
      {"run no-such-file.json", "no-such-file.json: cannot read the file"},
      {"check no-such-dir", "no-such-dir: no such file or directory"},
      {"run scenarios", "scenarios: is a directory, not a file"},
      {"replay scenarios", "scenarios: is a directory, not a file"},
      {"run " + fixed + " --out ''", "--out: expected a directory, got \"\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    Result r = fsmc(c.args);
    CHECK(r.exit == 2);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
}

TEST_CASE("--jobs is accepted and gives the verdict and trace of --jobs 1") {
  fs::path one = fresh_dir("jobs1"), four = fresh_dir("jobs4");
  Result a = fsmc("run " + violating + " --json --out " + one.string());
  Result b = fsmc("run " + violating + " --json --jobs 4 --out " + four.string());
  CHECK(b.exit == a.exit);
  nlohmann::json ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  CHECK(jb["verdict"] == ja["verdict"]);
  CHECK(jb["invariants"] == ja["invariants"]);
  CHECK(slurp(four / "seed-race-v6.1.dirty_backed.json") == slurp(one / "seed-race-v6.1.dirty_backed.json"));
}

TEST_CASE("two different files with one scenario name cannot share a trace directory") {
  fs::path dir = fresh_dir("clash");
  fs::create_directories(dir);
  fs::copy_file(fs::path(FSMC_SOURCE_DIR) / violating, dir / "copy.json");
  fs::path out = dir / "out";
  Result r = fsmc("run " + violating + " " + (dir / "copy.json").string() + " --out " + out.string());
  CHECK(r.exit == 2);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("name: expected a name no other scenario of this run has, got \"seed-race-v6.1\"") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(out));
  // The same file twice is the same scenario: allowed.
  CHECK(fsmc("run " + fixed + " " + fixed).exit == 0);
}

TEST_CASE("--out receives one trace per violation and nothing else, and --html adds a chart beside each") {
  fs::path plain = fresh_dir("out-plain"), html = fresh_dir("out-html");
  REQUIRE(fsmc("run " + violating + " --out " + plain.string()).exit == 1);
  CHECK(files_in(plain) == std::vector<std::string>{"seed-race-v6.1.dirty_backed.json"});
  REQUIRE(fsmc("run " + violating + " --html --out " + html.string()).exit == 1);
  CHECK(files_in(html) ==
        std::vector<std::string>{"seed-race-v6.1.dirty_backed.html", "seed-race-v6.1.dirty_backed.json"});
  fs::path nothing = fresh_dir("out-pass");
  REQUIRE(fsmc("run " + fixed + " --out " + nothing.string()).exit == 0);
  CHECK_FALSE(fs::exists(nothing));
}

TEST_CASE("a trace directory that cannot be written is exit 2 with one line") {
  fs::path dir = fresh_dir("unwritable");
  fs::create_directories(dir);
  std::ofstream(dir / "a-file") << "in the way\n";
  Result r = fsmc("run " + violating + " --out " + (dir / "a-file" / "traces").string());
  CHECK(r.exit == 2);
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(files_in(dir) == std::vector<std::string>{"a-file"});
}

TEST_CASE("random search with a seed gives byte-identical traces and charts, and the seed is recorded") {
  fs::path a = fresh_dir("random-a"), b = fresh_dir("random-b");
  std::string flags = " --strategy random --seed 7 --max-executions 100000 --html --out ";
  REQUIRE(fsmc("run " + violating + flags + a.string()).exit == 1);
  REQUIRE(fsmc("run " + violating + flags + b.string()).exit == 1);
  for (const char* name : {"seed-race-v6.1.dirty_backed.json", "seed-race-v6.1.dirty_backed.html"}) {
    CAPTURE(name);
    CHECK(slurp(a / name) == slurp(b / name));
  }
  nlohmann::json trace = nlohmann::json::parse(slurp(a / "seed-race-v6.1.dirty_backed.json"));
  CHECK(trace["stats"]["strategy"] == "random");
  CHECK(trace["stats"]["seed"] == 7);
  CHECK(fsmc("replay " + (a / "seed-race-v6.1.dirty_backed.json").string()).exit == 0);
}

TEST_CASE("a scenario given by its absolute path gives the same trace: no machine path inside") {
  fs::path rel = fresh_dir("path-rel"), abs = fresh_dir("path-abs");
  REQUIRE(fsmc("run " + violating + " --out " + rel.string()).exit == 1);
  REQUIRE(fsmc("run " FSMC_SOURCE_DIR "/" + violating + " --out " + abs.string()).exit == 1);
  std::string trace = slurp(abs / "seed-race-v6.1.dirty_backed.json");
  CHECK(trace == slurp(rel / "seed-race-v6.1.dirty_backed.json"));
  CHECK(trace.find("\"scenario_file\": \"" + violating + "\"") != std::string::npos);
  CHECK(trace.find(FSMC_SOURCE_DIR) == std::string::npos);
}

TEST_CASE("--kernel overrides the file's kernel, and the trace records what ran") {
  fs::path out = fresh_dir("kernel");
  Result r = fsmc("run " + fixed + " --kernel v6.1 --out " + out.string());
  CHECK(r.exit == 1);
  // Another kernel than the file's is in the trace's name.
  fs::path trace = out / "seed-race-v6.1-198dd8ae.v6.1.dirty_backed.json";
  CHECK(r.out.find("trace: " + trace.string() + "\n") != std::string::npos);
  REQUIRE(fs::exists(trace));
  nlohmann::json t = nlohmann::json::parse(slurp(trace));
  CHECK(t["kernel"] == "v6.1");
  CHECK(t["scenario_json"]["kernel"] == "v6.1");
  CHECK(t["fixes"]["invalidate_lock_punch"] == false);
  CHECK(fsmc("replay " + trace.string()).exit == 0);
}

TEST_CASE("no progress line reaches stderr when it is not a terminal") {
  Result r = fsmc("run " + fixed);
  CHECK(r.exit == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find('\r') == std::string::npos);
}

TEST_CASE("a progress line is drawn on stderr when it is a terminal") {
  // script(1) (util-linux, in every Debian) gives fsmc a pseudo-terminal.
  REQUIRE(std::system("command -v script >/dev/null") == 0);
  fs::path dir = fresh_dir("tty");
  fs::create_directories(dir);
  std::string cmd = "cd " FSMC_SOURCE_DIR " && script -qec '" FSMC_BINARY
                    " run scenarios/xfs/seed-race-any-copy-v6.2.json --stateless --seconds 1 --out " +
                    (dir / "out").string() + "' /dev/null >" + (dir / "tty").string() + " </dev/null";
  int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 3);  // the one-second cap stops it: inconclusive
  std::string tty = slurp(dir / "tty");
  CHECK(tty.find("seed-race-any-copy-v6.2: ") != std::string::npos);
  CHECK(tty.find(" executions (") != std::string::npos);
  CHECK(tty.find("/s), ") != std::string::npos);
  CHECK(tty.find("\r\033[K") != std::string::npos);  // redrawn in place, cleared before the summary
}

TEST_CASE("broken trace files get one line and exit 2 from replay and show") {
  fs::path dir = fresh_dir("bad-traces");
  REQUIRE(fsmc("run " + violating + " --out " + dir.string()).exit == 1);
  const nlohmann::ordered_json good =
      nlohmann::ordered_json::parse(slurp(dir / "seed-race-v6.1.dirty_backed.json"));
  struct Case {
    std::string name;
    std::string text;
    std::string says;
  };
  std::vector<Case> cases;
  auto broken = [&](const std::string& name, auto change, const std::string& says) {
    nlohmann::ordered_json t = good;
    change(t);
    cases.push_back({name, t.dump(2), says});
  };
  cases.push_back({"syntax.json", "{\n  \"fsmc_trace\": 1,\n  \"steps\": [}\n", "syntax.json:3:13: invalid JSON: "});
  broken("version.json", [](auto& t) { t["fsmc_trace"] = 2; }, "fsmc_trace: expected a trace of format version 1");
  broken("thread.json", [](auto& t) { t["steps"][3]["thread"] = 5; }, "steps[3].thread: expected a string");
  broken("locks.json", [](auto& t) { t["steps"][0]["locks"] = "IOLOCK"; }, "steps[0].locks: expected an array");
  broken("decision.json", [](auto& t) { t["decisions"][2] = -1; }, "decisions[2]: expected a thread id or choice");
  broken("no-steps.json", [](auto& t) { t.erase("steps"); }, "steps: expected an array of steps");
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::ofstream(dir / c.name) << c.text;
    for (const char* command : {"replay ", "show "}) {
      CAPTURE(command);
      Result r = fsmc(command + (dir / c.name).string());
      CHECK(r.exit == 2);
      CHECK(lines(r.err) == 1);
      CHECK(r.err.find(c.says) != std::string::npos);
    }
  }
  // A scenario embedded in a trace is held to the same rules as a scenario file.
  nlohmann::ordered_json t = good;
  t["scenario_json"]["kernel"] = "v9";
  std::ofstream(dir / "kernel.json") << t.dump();
  Result r = fsmc("replay " + (dir / "kernel.json").string());
  CHECK(r.exit == 2);
  CHECK(r.err.find("scenario_json: kernel: unknown kernel \"v9\"") != std::string::npos);
}

TEST_CASE("check: a capped search is never as expected, bounded only where expect says so, a vanished bug fails") {
  fs::path dir = fresh_dir("check-rules");
  fs::create_directories(dir);
  const nlohmann::json base = nlohmann::json::parse(slurp(fs::path(FSMC_SOURCE_DIR) / fixed));
  struct Case {
    std::string name;
    nlohmann::json search;
    nlohmann::json expect;
    bool as_expected;
    std::string says;
  };
  const Case cases[] = {
      {"capped", {{"max_executions", 5}}, {{"verdict", "pass"}}, false,
       "expected pass, found inconclusive (a cap stopped the search first)"},
      {"bounded-expected", {{"strategy", "bounded"}, {"preemptions", 1}}, {{"verdict", "bounded"}}, true, "bounded"},
      {"bounded-is-not-pass", {{"strategy", "bounded"}, {"preemptions", 1}}, {{"verdict", "pass"}}, false,
       "expected pass, found bounded"},
      {"bug-vanished", nlohmann::json::object(), {{"verdict", "violation"}, {"invariant", "dirty_backed"}}, false,
       "expected violation {dirty_backed}, found pass"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    nlohmann::json s = base;
    s["name"] = c.name;
    s["search"] = c.search;
    s["expect"] = c.expect;
    std::ofstream(dir / (c.name + ".json")) << s.dump(2);
    Result r = fsmc("check " + (dir / (c.name + ".json")).string());
    CHECK(r.exit == (c.as_expected ? 0 : 1));
    CHECK(r.out.find(c.says) != std::string::npos);
    CHECK(r.out.find(c.as_expected ? "1 passed, 0 failed\n" : "0 passed, 1 failed\n") != std::string::npos);
  }
}
