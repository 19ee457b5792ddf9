// fsmc check: the regression gate. Every scenario's violated set must equal
// its `expect`, so a bug that comes back and a bug that silently disappears
// both fail.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "reports/atomic_file.hpp"
#include "reports/junit.hpp"

namespace fsmc::cli {

namespace {

std::vector<std::string> scenario_files(const std::vector<std::string>& paths, bool& missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      std::cerr << p << ": no such file or directory\n";
      missing = true;
    }
  }
  return out;
}

std::string set_text(const std::vector<std::string>& names) {
  std::string s = "{";
  for (const std::string& n : names) s += (s.size() > 1 ? ", " : "") + n;
  return s + "}";
}

// nullopt when as expected, else what differs.
std::optional<std::string> compare(const Expect& e, const Outcome& o) {
  const SearchResult& r = o.result;
  std::string found = std::string(to_string(r.verdict));
  if (r.verdict == Verdict::violation) found += " " + set_text(o.violated);
  std::string expected = e.verdict;
  if (e.verdict == "violation") expected += " " + set_text({e.invariants.begin(), e.invariants.end()});
  bool as_expected = false;
  if (e.verdict == "pass") as_expected = r.verdict == Verdict::pass;
  else if (e.verdict == "bounded") as_expected = r.verdict == Verdict::bounded || r.verdict == Verdict::pass;
  else as_expected = r.verdict == Verdict::violation && r.finished &&
                     std::vector<std::string>(e.invariants.begin(), e.invariants.end()) == o.violated;
  if (as_expected) return std::nullopt;
  std::string why = "expected " + expected + ", found " + found;
  if (!r.finished) why += " (a cap stopped the search first)";
  return why;
}

}  // namespace

int check_command(const CheckOptions& o) {
  bool missing = false;
  std::vector<std::string> paths = scenario_files(o.paths, missing);
  std::vector<ScenarioFile> files;
  bool bad = missing;
  for (const std::string& path : paths) {
    InputError error;
    auto sf = read_scenario(path, error);
    if (sf && !sf->expect.given) {
      error.message = path + ": expect: missing (fsmc check needs the expected verdict)";
      sf.reset();
    }
    if (sf) files.push_back(std::move(*sf));
    else {
      std::cerr << error.message << "\n";
      bad = true;
    }
  }
  if (auto clash = o.out.empty() ? std::nullopt : name_clash(files)) {
    std::cerr << clash->message << "\n";
    bad = true;
  }
  if (bad) return bad_input;
  if (files.empty()) {
    std::cerr << "fsmc check: no scenario files (*.json) under the given paths\n";
    return bad_input;
  }

  std::vector<reports::JunitCase> cases;
  int passed = 0, failed = 0;
  for (const ScenarioFile& sf : files) {
    Outcome outcome;
    std::string error;
    if (!search_scenario(sf, true, o.out, false, outcome, error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
    std::optional<std::string> diff = compare(sf.expect, outcome);
    char stats[96];
    std::snprintf(stats, sizeof stats, "(%llu executions, %.2f s)",
                  static_cast<unsigned long long>(outcome.result.stats.executions), outcome.result.stats.seconds);
    if (diff) {
      ++failed;
      std::cout << "FAIL  " << sf.path << ": " << *diff << " " << stats << std::endl;  // one line as each finishes
    } else {
      ++passed;
      std::string verdict = std::string(to_string(outcome.result.verdict));
      if (!outcome.violated.empty()) verdict += " " + set_text(outcome.violated);
      std::cout << "ok    " << sf.path << ": " << verdict << " " << stats << std::endl;
    }
    cases.push_back({sf.scenario.name, sf.path, outcome.result.stats.seconds, !diff, diff.value_or("")});
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (!o.junit.empty()) {
    std::string error;
    if (!reports::write_atomically(o.junit, reports::render_junit("fsmc check", cases), error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
  }
  return failed ? violation_found : ok;
}

}  // namespace fsmc::cli
