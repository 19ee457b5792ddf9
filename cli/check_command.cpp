// fsmc check: the regression gate. Every scenario's violated set must equal
// its `expect`, so a bug that comes back and a bug that silently disappears
// both fail.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/coverage_report.hpp"
#include "cli/in_file_order.hpp"
#include "cli/interrupt.hpp"
#include "cli/search_flags.hpp"
#include "cli/strict_json.hpp"
#include "reports/atomic_file.hpp"
#include "reports/junit.hpp"

namespace fsmc::cli {

namespace {

struct Found {
  std::string path;
  bool in_directory = false;  // found by walking a directory (not named on the command line)
};

// A file name from a directory walk goes into messages and JUnit: plain
// printable characters only.
bool printable_name(const std::string& path) {
  return std::none_of(path.begin(), path.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
}

// The *.json files under a directory, sorted. Directory symlinks are not
// followed (so a symlink loop is never walked into); an entry that cannot be
// read is an error.
bool walk(const std::string& dir, std::vector<Found>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> found;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string path = it->path().string();
    if (!printable_name(path)) {
      std::cerr << shown_text(path, path.size()) << ": expected a file name without control characters\n";
      return false;
    }
    if (it->path().extension() != ".json") continue;
    std::error_code file_ec;
    bool regular = it->is_regular_file(file_ec);
    if (file_ec) {
      std::cerr << path << ": cannot read (" << file_ec.message() << ")\n";
      return false;
    }
    if (regular) found.push_back(path);
  }
  if (ec) {
    std::string where = it == end ? dir : it->path().string();
    std::cerr << where << ": cannot read the folder (" << ec.message() << ")\n";
    return false;
  }
  std::sort(found.begin(), found.end());
  for (std::string& f : found) out.push_back({std::move(f), true});
  return true;
}

std::vector<Found> scenario_files(const std::vector<std::string>& paths, bool& bad) {
  namespace fs = std::filesystem;
  std::vector<Found> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(p, ec);
    if (fs::is_directory(status)) {
      if (!walk(p, out)) bad = true;
    } else if (fs::exists(status)) {
      out.push_back({p, false});
    } else {
      bool missing = !ec || ec == std::errc::no_such_file_or_directory;
      std::cerr << p << ": " << (missing ? "no such file or directory" : "cannot read (" + ec.message() + ")") << "\n";
      bad = true;
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
std::optional<std::string> compare(const Expect& e, const std::vector<ReachGoal>& goals, const Outcome& o) {
  const SearchResult& r = o.result;
  std::string found = std::string(to_string(r.verdict));
  if (r.verdict == Verdict::violation) found += " " + set_text(o.violated);
  std::string expected = e.verdict;
  if (e.verdict == "violation") expected += " " + set_text({e.invariants.begin(), e.invariants.end()});
  bool as_expected = false;
  if (e.verdict == "pass") as_expected = r.verdict == Verdict::pass;
  else if (e.verdict == "bounded") as_expected = r.verdict == Verdict::bounded || r.verdict == Verdict::pass;
  else if (e.verdict == "vacuous") as_expected = r.verdict == Verdict::vacuous;
  else as_expected = r.verdict == Verdict::violation && r.finished &&
                     std::vector<std::string>(e.invariants.begin(), e.invariants.end()) == o.violated;
  if (as_expected) return std::nullopt;
  std::string why = "expected " + expected + ", found " + found;
  if (!r.finished) why += " (a cap stopped the search first)";
  std::vector<std::string> missed = goals_missed(goals, r);
  if (r.verdict == Verdict::vacuous || (e.verdict == "vacuous" && !missed.empty())) {
    why += " (never reached:";
    for (const std::string& g : missed) why += " " + g + ";";
    why.back() = ')';
  }
  return why;
}

// One scenario in `check --json`: run's summary, what was expected, and
// whether it was.
nlohmann::ordered_json check_json(const ScenarioFile& sf, const Outcome& o, const std::optional<std::string>& diff) {
  nlohmann::ordered_json j = summary_json(sf, o);
  j["expect"] = {{"verdict", sf.expect.verdict}};
  if (sf.expect.verdict == "violation")
    j["expect"]["invariants"] = std::vector<std::string>(sf.expect.invariants.begin(), sf.expect.invariants.end());
  j["as_expected"] = !diff;
  if (diff) j["difference"] = *diff;
  return j;
}

// What a FAIL line adds below itself: each counterexample's message, each
// trace and chart written.
std::string details(const Outcome& o) {
  std::string d;
  for (const Counterexample& c : o.result.counterexamples)
    d += "  " + c.violation.invariant + ": " + c.violation.message + "\n";
  for (const std::string& t : o.traces) d += "  trace: " + t + "\n";
  for (const std::string& c : o.charts) d += "  chart: " + c + "\n";
  return d;
}

}  // namespace

// The scenarios the gate runs, with the flags applied; nullopt (after one
// line each on stderr) when an input or an output target is wrong.
std::optional<std::vector<ScenarioFile>> gate_scenarios(const CheckOptions& o) {
  bool bad = false;
  std::vector<Found> paths = scenario_files(o.paths, bad);
  std::vector<ScenarioFile> files;
  for (const Found& found : paths) {
    const std::string& path = found.path;
    InputError error;
    auto sf = read_scenario(path, error);
    if (error.is_trace && found.in_directory) {
      // Traces a previous `check --out` or `run --out` left among the scenarios.
      std::cout << "skip  " << path << ": a trace, not a scenario" << std::endl;
      continue;
    }
    if (sf && !sf->expect.given) {
      error.message = path + ": expect: missing (fsmc check needs the expected verdict)";
      sf.reset();
    }
    if (sf) {
      apply(o.search.overrides, *sf);
      if (auto why = ignored_flag(o.search.overrides, *sf)) {
        std::cerr << "fsmc: " << *why << "\n";
        return std::nullopt;
      }
      files.push_back(std::move(*sf));
    } else {
      std::cerr << error.message << "\n";
      bad = true;
    }
  }
  if (auto clash = o.out.empty() ? std::nullopt : name_clash(files)) {
    std::cerr << clash->message << "\n";
    bad = true;
  }
  if (bad) return std::nullopt;
  if (files.empty()) {
    std::cerr << "fsmc check: no scenario files (*.json) under the given paths\n";
    return std::nullopt;
  }

  // Before the search: a wrong --junit or --out must not cost the search.
  std::optional<std::string> problem;
  if (!o.junit.empty()) problem = reports::file_target_problem(o.junit);
  if (!problem && !o.out.empty()) problem = reports::directory_target_problem(o.out);
  if (problem) {
    std::cerr << "fsmc: " << *problem << "\n";
    return std::nullopt;
  }
  return files;
}

namespace {

// What the gate has seen so far.
struct Tally {
  nlohmann::ordered_json summaries = nlohmann::ordered_json::array();
  std::vector<reports::JunitCase> cases;
  int passed = 0, failed = 0;
  bool failed_write = false, failed_replay = false, interrupted = false;
  int cut = 0;  // scenarios the interrupt stopped in their search
};

std::string stats_text(const Outcome& outcome) {
  char stats[96];
  std::snprintf(stats, sizeof stats, "(%llu executions, %.2f s)",
                static_cast<unsigned long long>(outcome.result.stats.executions), outcome.result.stats.seconds);
  return stats;
}

// Prints one scenario's line and records it; false when the gate stops
// after it (a trace that could not be written). A scenario the interrupt
// stopped is one of those running then: the others are still taken.
bool gate_one(const ScenarioFile& sf, const Outcome& outcome, std::ostream& lines, Tally& t) {
  std::string stats = stats_text(outcome);
  if (outcome.result.stopped_by == StopReason::interrupt) {
    // Neither as expected nor not: the gate did not get its answer.
    t.interrupted = true;
    ++t.cut;
    lines << "INTR  " << sf.path << ": interrupted before the search finished " << stats << std::endl;
    t.cases.push_back({sf.scenario.name, sf.path, outcome.result.stats.seconds, false, "",
                       "interrupted before the search finished", {}, ""});
    t.summaries.push_back(check_json(sf, outcome, "interrupted before the search finished"));
    return true;
  }
  std::optional<std::string> diff = compare(sf.expect, sf.search.reach, outcome);
  if (outcome.out_of_memory) diff = "the search ran out of memory before it finished";
  if (diff) {
    ++t.failed;
    lines << "FAIL  " << sf.path << ": " << *diff << " " << stats << "\n" << details(outcome) << std::flush;
  } else {
    ++t.passed;
    std::string verdict = std::string(to_string(outcome.result.verdict));
    if (!outcome.violated.empty()) verdict += " " + set_text(outcome.violated);
    lines << "ok    " << sf.path << ": " << verdict << " " << stats << std::endl;
  }
  t.cases.push_back({sf.scenario.name, sf.path, outcome.result.stats.seconds, !diff, diff.value_or(""), "",
                     coverage_properties(sf.search.reach, outcome.result), diff ? details(outcome) : ""});
  t.summaries.push_back(check_json(sf, outcome, diff));
  OutcomeErrors errors = print_errors(outcome);
  t.failed_replay |= errors.internal;
  if (errors.write) {
    t.failed_write = true;
    return false;
  }
  return true;
}

// `check --jobs N` searches up to N scenarios at once, each on N divided
// by that number of workers (the share is a function of N and the number
// of scenarios alone, so a share of 1 gives the serial counts). Without
// --max-memory, the scenarios at once share the default memory cap.
uint32_t scenarios_at_once(const CheckOptions& o, std::size_t scenarios) {
  uint32_t jobs = o.search.overrides.jobs.value_or(default_jobs());
  return static_cast<uint32_t>(std::clamp<std::size_t>(scenarios, 1, jobs));
}

void share_jobs(const CheckOptions& o, std::vector<ScenarioFile>& files) {
  uint32_t jobs = o.search.overrides.jobs.value_or(default_jobs()), at_once = scenarios_at_once(o, files.size());
  for (ScenarioFile& sf : files) {
    sf.search.jobs = std::max<uint32_t>(1, jobs / at_once);
    if (!o.search.overrides.max_memory_mib) sf.search.max_memory /= at_once;
  }
}

void print_totals(std::ostream& lines, const Tally& t, std::size_t scenarios) {
  lines << t.passed << " passed, " << t.failed << " failed";
  if (t.interrupted) lines << ", " << t.cut << " interrupted, " << scenarios - t.cases.size() << " not started";
  lines << std::endl;  // the verdicts before any error line on stderr
}

}  // namespace

int check_command(const CheckOptions& o) {
  std::optional<std::vector<ScenarioFile>> read = gate_scenarios(o);
  if (!read) return bad_input;
  std::vector<ScenarioFile>& files = *read;
  share_jobs(o, files);

  // With --json, stdout holds only the JSON; the lines move to stderr.
  std::ostream& lines = o.search.json ? std::cerr : std::cout;
  const std::atomic<bool>* interrupt = interrupt_flag();
  Tally t;
  uint32_t at_once = scenarios_at_once(o, files.size());
  // After an interrupt no scenario starts (nullopt): those running then are taken, interrupted or done.
  run_in_order<std::optional<Outcome>>(
      files.size(), at_once,
      [&](std::size_t i) -> std::optional<Outcome> {
        if (interrupt->load()) return std::nullopt;
        return search_scenario(files[i], true, o.out, o.search.html, interrupt, at_once == 1);
      },
      [&](std::size_t i, std::optional<Outcome>& outcome) {
        if (!outcome) {
          t.interrupted = true;
          return false;
        }
        return gate_one(files[i], *outcome, lines, t);
      });
  print_totals(lines, t, files.size());
  if (o.search.json)
    std::cout << nlohmann::ordered_json{{"passed", t.passed}, {"failed", t.failed}, {"scenarios", t.summaries}}.dump(2)
              << std::endl;
  if (!o.junit.empty()) {
    std::string error;
    if (!reports::write_atomically(o.junit, reports::render_junit("fsmc check", t.cases), error)) {
      std::cerr << error << "\n";
      return bad_input;
    }
  }
  if (t.failed_replay) return internal_error;
  if (t.failed_write) return bad_input;
  if (t.failed) return violation_found;
  return t.interrupted ? inconclusive : ok;
}

}  // namespace fsmc::cli
