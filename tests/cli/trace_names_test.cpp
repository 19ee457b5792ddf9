// Trace file names: SCENARIO.INVARIANT on the file's own kernel,
// SCENARIO.KERNEL.INVARIANT on another; and a run leaves in --out no trace
// of that scenario and kernel that it did not find itself, removing nothing
// it could not have written.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "fsmc_process.hpp"

using namespace cli_test;

namespace {

const std::string violating = "scenarios/xfs/seed-race-v6.1.json";

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void touch(const fs::path& p) { std::ofstream(p) << "{}\n"; }

}  // namespace

TEST_CASE("a run clears its own stale traces of that scenario and kernel, and nothing else") {
  fs::path out = fresh_dir("stale");
  fs::create_directories(out / "seed-race-v6.1.step_limit.json");  // a directory: not a trace it writes
  for (const char* name : {"seed-race-v6.1.no_lost_data.json",      // stale: this run finds dirty_backed
                           "seed-race-v6.1.no_lost_data.html",      // its chart
                           "seed-race-v6.1.notes.json",             // not an invariant's name
                           "seed-race-v6.1.dirty_backed.txt",       // not a trace's suffix
                           "seed-race-v6.1-198dd8ae.no_lost_data.json",  // another scenario
                           "seed-race-v6.1.v6.2.no_lost_data.json"})     // another kernel
    touch(out / name);
  Result r = fsmc("run " + violating + " --out " + out.string());
  CHECK(r.exit == 1);
  CHECK(files_in(out) == std::vector<std::string>{"seed-race-v6.1-198dd8ae.no_lost_data.json",
                                                  "seed-race-v6.1.dirty_backed.json", "seed-race-v6.1.dirty_backed.txt",
                                                  "seed-race-v6.1.notes.json", "seed-race-v6.1.step_limit.json",
                                                  "seed-race-v6.1.v6.2.no_lost_data.json"});

  // On v6.2 the race is fixed: that run finds nothing and clears v6.2's stale trace only.
  Result fixed = fsmc("run " + violating + " --kernel v6.2 --out " + out.string());
  CHECK(fixed.exit == 4);  // vacuous, not a violation: the file's reach goal is v6.1's E5-E6 window
  CHECK_FALSE(fs::exists(out / "seed-race-v6.1.v6.2.no_lost_data.json"));
  CHECK(fs::exists(out / "seed-race-v6.1.dirty_backed.json"));

  // A chart written before, not asked for now, goes with its stale trace.
  REQUIRE(fsmc("run " + violating + " --html --out " + out.string()).exit == 1);
  CHECK(fs::exists(out / "seed-race-v6.1.dirty_backed.html"));
  REQUIRE(fsmc("run " + violating + " --out " + out.string()).exit == 1);
  CHECK_FALSE(fs::exists(out / "seed-race-v6.1.dirty_backed.html"));
  CHECK(fs::exists(out / "seed-race-v6.1.dirty_backed.json"));
}
