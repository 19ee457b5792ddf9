// The guard for changes that must not change the search: for every corpus
// scenario, the verdict and the exact counts of the default search
// (executions, steps, states, pruned executions) as recorded in
// corpus_counts.txt. A change that legitimately changes them regenerates the
// file (FSMC_UPDATE_COUNTS=1) and says why in its commit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/scenario_file.hpp"
#include "cli/search_scenario.hpp"
#include "model/kernel_steps.hpp"

namespace fs = std::filesystem;
using namespace fsmc;

namespace {

std::string counts_line(const fs::path& file, std::set<std::string>& reached) {
  cli::InputError error;
  std::optional<cli::ScenarioFile> sf = cli::read_scenario(file.string(), error);
  REQUIRE_MESSAGE(sf, error.message);
  cli::Outcome o = cli::search_scenario(*sf, false, "", false, nullptr);
  const SearchStats& s = o.result.stats;
  reached.insert(o.result.steps_reached.begin(), o.result.steps_reached.end());
  std::ostringstream line;
  line << file.filename().string() << ' ' << to_string(o.result.verdict) << " executions=" << s.executions
       << " steps=" << s.steps << " states=" << s.states << " pruned=" << s.pruned;
  return line.str();
}

}  // namespace

TEST_CASE("corpus: every scenario's verdict and search counts are the recorded ones") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(FSMC_SOURCE_DIR) / "scenarios/xfs"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string now;
  std::set<std::string> reached;
  for (const fs::path& f : files) now += counts_line(f, reached) + "\n";
  // The model's table of step ids (reach goals name them) is exact: the
  // corpus performs no id outside it, and every id in it except those of
  // read(2) and mmap loads, which no corpus scenario does, a fault whose
  // reservation fails with ENOSPC (M6) and writeback of a page beyond EOF (WB3).
  for (const std::string& id : reached) CHECK_MESSAGE(model::is_kernel_step(id), "not in model::kernel_steps(): " << id);
  std::vector<std::string> missing;
  for (const std::string& id : model::kernel_steps())
    if (!reached.count(id)) missing.push_back(id);
  CHECK(missing == std::vector<std::string>{"M6", "RF0", "RF7", "RD0", "RD1", "RD2", "RD3", "RD4", "RD5", "WB3"});

  const fs::path recorded = fs::path(FSMC_SOURCE_DIR) / "tests/cli/corpus_counts.txt";
  if (std::getenv("FSMC_UPDATE_COUNTS")) {
    std::ofstream(recorded) << now;
    return;
  }
  std::ifstream in(recorded);
  std::stringstream was;
  was << in.rdbuf();
  std::istringstream a(was.str()), b(now);
  for (;;) {
    std::string want, got;
    bool more_recorded = static_cast<bool>(std::getline(a, want));
    bool more_now = static_cast<bool>(std::getline(b, got));  // both read, so that a missing line shows
    if (!more_recorded && !more_now) break;
    CHECK(got == want);
  }
}
