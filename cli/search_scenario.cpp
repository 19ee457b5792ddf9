#include "cli/search_scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/coverage_report.hpp"
#include "cli/race_analysis.hpp"
#include "cli/trace_input.hpp"
#include "model/invariants.hpp"
#include "model/program.hpp"
#include "reports/atomic_file.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

namespace fsmc::cli {

void apply(const Overrides& o, ScenarioFile& sf) {
  if (o.kernel) sf.scenario.kernel = *o.kernel;
  SearchConfig& s = sf.search;
  if (o.strategy) s.strategy = *o.strategy;
  if (o.preemptions) s.preemptions = *o.preemptions;
  if (o.max_executions) s.max_executions = *o.max_executions;
  if (o.seconds) s.seconds = *o.seconds;
  if (o.seed) s.seed = *o.seed;
  if (o.stateful) s.stateful = *o.stateful;
  s.max_memory = o.max_memory_mib ? *o.max_memory_mib << 20 : default_max_memory();
  s.jobs = o.jobs.value_or(default_jobs());
}

uint32_t default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

nlohmann::ordered_json summary_json(const ScenarioFile& sf, const Outcome& outcome) {
  const SearchResult& r = outcome.result;
  nlohmann::ordered_json j = {{"scenario", sf.scenario.name},
                              {"kernel", sf.scenario.kernel},
                              {"verdict", to_string(r.verdict)},
                              {"invariants", outcome.violated},
                              {"executions", r.stats.executions},
                              {"exhaustive", r.exhaustive},
                              {"seconds", r.stats.seconds},
                              {"traces", outcome.traces}};
  if (r.stateful) {
    j["states"] = r.stats.states;
    j["omission_probability"] = collision_odds(r.stats.states);
  }
  if (r.workers > 1) j["counts_vary"] = true;
  if (!outcome.charts.empty()) j["charts"] = outcome.charts;
  add_coverage_json(sf.search.reach, r, j);
  return j;
}

std::string states_cached(const SearchResult& r) {
  if (!r.stateful) return "";
  char odds[32];
  std::snprintf(odds, sizeof odds, "%.1e", collision_odds(r.stats.states));
  return ", " + std::to_string(r.stats.states) + " states cached (collision odds " + odds + ")";
}

std::string counts_vary_line(const SearchResult& r) {
  if (r.workers <= 1) return "";
  return "  counts from " + std::to_string(r.workers) +
         " workers sharing their states: they vary from run to run (the verdict and traces do not)\n";
}

uint64_t default_max_memory() {
  long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return uint64_t{4} << 30;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / 2;
}

// A trace names its scenario file relative to where fsmc ran, even when the
// command line gave an absolute path: no path of the writing machine leaks
// into the trace, and the trace stays byte-identical either way.
std::string portable_path(const std::string& path) {
  std::filesystem::path p(path);
  if (!p.is_absolute()) return path;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  std::filesystem::path relative = ec ? std::filesystem::path() : p.lexically_normal().lexically_relative(cwd);
  return relative.empty() ? p.filename().string() : relative.string();
}

namespace {

// "40 s", "12 min", "3.5 h": a time estimate, no more precise than it is.
std::string rough_duration(double seconds) {
  char text[32];
  if (seconds < 100) std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (seconds < 6000) std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  else std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
  return text;
}

// A progress line on stderr, only when a person is watching it.
std::function<void(const Progress&)> progress_line(const std::string& name) {
  if (!isatty(STDERR_FILENO)) return nullptr;
  auto last = std::make_shared<double>(-1);
  return [name, last](const Progress& p) {
    if (p.seconds - *last < 0.25) return;
    *last = p.seconds;
    std::fprintf(stderr, "\r\033[K%s: %llu executions (%.0f/s), %s", name.c_str(),
                 static_cast<unsigned long long>(p.executions), p.seconds > 0 ? p.executions / p.seconds : 0.0,
                 std::string(to_string(p.phase)).c_str());
    if (p.bound >= 0) std::fprintf(stderr, ", preemption bound %d", p.bound);
    if (p.states >= 0)
      std::fprintf(stderr, ", stateful, %lld states (%.0f/s)", static_cast<long long>(p.states),
                   p.seconds > 0 ? p.states / p.seconds : 0.0);
    if (p.explored > 0.001 && p.explored < 1) {
      // Knuth's estimate from the branches on the current path: rough early,
      // better as the search goes on; the phase's time only, not later phases'.
      double left = p.seconds * (1 - p.explored) / p.explored;
      std::fprintf(stderr, ", ~%.0f%% of this phase, ~%s left", 100 * p.explored, rough_duration(left).c_str());
    }
    std::fflush(stderr);
  };
}

}  // namespace

std::vector<std::string> thread_names(const model::Scenario& scenario) {
  std::vector<std::string> names;
  for (const model::ThreadSpec& t : scenario.threads) names.push_back(t.name);
  return names;
}

Outcome search_scenario(const ScenarioFile& sf, bool keep_going, const std::string& out, bool html,
                        const std::atomic<bool>* interrupt, bool progress) {
  Outcome outcome;
  SearchConfig config = sf.search;
  config.keep_going = keep_going;
  if (progress) config.progress = progress_line(sf.scenario.name);
  config.interrupt = interrupt;
  try {
    Executor exec(model::build_program(sf.scenario));
    outcome.result = search(exec, config);
  } catch (const std::bad_alloc&) {
    // What the search held is freed by now; what it found is lost with it.
    outcome.result = SearchResult{};
    outcome.result.verdict = Verdict::inconclusive;
    outcome.out_of_memory = true;
  }
  if (config.progress) std::fprintf(stderr, "\r\033[K");
  for (const Counterexample& c : outcome.result.counterexamples) outcome.violated.push_back(c.violation.invariant);
  std::sort(outcome.violated.begin(), outcome.violated.end());
  write_traces(sf, out, html, outcome);
  return outcome;
}

namespace {

// SCENARIO.INVARIANT on the scenario file's own kernel (the name the format
// has always used); SCENARIO.KERNEL.INVARIANT when --kernel chose another,
// so runs of one scenario on several kernels keep each other's traces.
std::string trace_base(const ScenarioFile& sf, const std::string& out, const std::string& invariant) {
  bool own_kernel = sf.json.contains("kernel") && sf.json["kernel"] == sf.scenario.kernel;
  return out + "/" + sf.scenario.name + (own_kernel ? "" : "." + sf.scenario.kernel) + "." + invariant;
}

// Every invariant a trace of this model can be named after.
std::vector<std::string> reportable_invariants() {
  std::vector<std::string> names;
  for (const model::InvariantInfo& i : model::invariant_table()) names.push_back(i.name);
  names.push_back(no_deadlock);
  names.push_back(step_limit);
  return names;
}

// Removes the traces (and charts) an earlier run of this scenario on this
// kernel left in `out` that this run does not write again: exactly the file
// names this run could have written, nothing else. False, with the error
// set, when one cannot be removed.
bool clear_stale(const ScenarioFile& sf, const std::string& out, const std::vector<std::string>& written,
                 std::string& error) {
  namespace fs = std::filesystem;
  for (const std::string& invariant : reportable_invariants())
    for (const char* suffix : {".json", ".html"}) {
      std::string path = trace_base(sf, out, invariant) + suffix;
      if (std::find(written.begin(), written.end(), path) != written.end()) continue;
      std::error_code ec;
      fs::file_status st = fs::symlink_status(path, ec);
      if (ec || !(fs::is_regular_file(st) || fs::is_symlink(st))) continue;
      if (!fs::remove(path, ec) && ec) {
        error = path + ": cannot remove this stale trace of an earlier run (" + ec.message() + ")";
        return false;
      }
    }
  return true;
}

}  // namespace

void write_traces(const ScenarioFile& sf, const std::string& out, bool html, Outcome& outcome) {
  // A counterexample that does not replay is a bug of fsmc, whether or not
  // traces are written; its trace would be a false claim.
  for (const Counterexample& c : outcome.result.counterexamples)
    if (!c.replays)
      outcome.internal_error = "the counterexample of " + c.violation.invariant + " found in " + sf.scenario.name +
                               " does not replay" + (out.empty() ? "" : ", so no trace was written for it");
  if (out.empty()) return;
  std::vector<std::string> written;
  for (const Counterexample& c : outcome.result.counterexamples) {
    if (!c.replays) continue;
    written.push_back(trace_base(sf, out, c.violation.invariant) + ".json");
    if (html) written.push_back(trace_base(sf, out, c.violation.invariant) + ".html");
  }
  // An interrupted search leaves what an earlier run found in place: it has
  // no answer to replace it with.
  bool answered = !outcome.out_of_memory && outcome.result.stopped_by != StopReason::interrupt;
  if (answered && !clear_stale(sf, out, written, outcome.write_error)) return;
  if (written.empty()) return;

  reports::TraceInfo info;
  info.scenario = sf.scenario.name;
  info.scenario_file = portable_path(sf.path);
  info.scenario_json = sf.json;
  info.scenario_json["kernel"] = sf.scenario.kernel;  // a --kernel override is part of what ran
  info.kernel = sf.scenario.kernel;
  info.fixes = model::effective_fixes(sf.scenario);
  info.strategy = std::string(to_string(sf.search.strategy));
  info.seed = sf.search.seed;
  info.executions = outcome.result.stats.executions;
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    outcome.write_error = out + ": cannot create the folder (" + ec.message() + ")";
    return;
  }
  for (const Counterexample& c : outcome.result.counterexamples) {
    if (!c.replays) continue;
    std::string base = trace_base(sf, out, c.violation.invariant);
    std::string why_not;
    auto e = explain({sf.scenario, c.violation.decisions, c.violation.invariant, c.violation.message, true, html},
                     why_not);
    nlohmann::ordered_json trace = reports::trace_to_json(info, c, e ? to_json(*e) : nlohmann::ordered_json(nullptr));
    if (!reports::write_atomically(base + ".json", trace.dump(2) + "\n", outcome.write_error)) return;
    outcome.traces.push_back(base + ".json");
    if (html) {
      reports::TraceView view{sf.scenario.name + " [" + sf.scenario.kernel + "]", c.violation.invariant,
                              c.violation.message, thread_names(sf.scenario), c.steps, trace["state"], {}, {}, "", {}, {}, {}};
      if (e) mark(view, *e);
      std::string chart;
      try {
        chart = reports::render_html(view);
      } catch (const reports::ViewTooLarge&) {
        outcome.notes.push_back(base + ".html: not written, the chart would pass " +
                                std::to_string(reports::max_view_bytes >> 20) + " MiB");
        continue;
      }
      if (!reports::write_atomically(base + ".html", chart, outcome.write_error)) return;
      outcome.charts.push_back(base + ".html");
    }
  }
}

OutcomeErrors print_errors(const Outcome& o) {
  if (!o.internal_error.empty())
    std::cerr << "fsmc: internal error: " << o.internal_error << " (a bug of fsmc: please report it)\n";
  if (!o.write_error.empty()) std::cerr << o.write_error << "\n";
  return {!o.internal_error.empty(), !o.write_error.empty()};
}

}  // namespace fsmc::cli
