#include "cli/shard_report.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/input_file.hpp"
#include "cli/strict_json.hpp"

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

// FNV-1a of the scenario as read, for messages that tell two scenarios apart.
std::string content_hash(const json& scenario) {
  uint64_t h = 14695981039346656037ull;
  for (char c : scenario.dump()) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

json result_json(const SearchResult& r) {
  json found = json::array();
  for (const Counterexample& c : r.counterexamples) {
    const Violation& v = c.violation;
    found.push_back({{"invariant", v.invariant}, {"message", v.message}, {"step", v.step},
                     {"preemptions", v.preemptions}, {"decisions", v.decisions}});
  }
  return {{"verdict", to_string(r.verdict)},
          {"exhaustive", r.exhaustive},
          {"finished", r.finished},
          {"stateful", r.stateful},
          {"stopped_by", to_string(r.stopped_by)},
          {"executions", r.stats.executions},
          {"steps", r.stats.steps},
          {"pruned", r.stats.pruned},
          {"states", r.stats.states},
          {"max_depth", r.stats.max_depth},
          {"bound", r.stats.bound},
          {"workers", r.workers},
          {"executions_before_split", r.before_split.executions},
          {"steps_before_split", r.before_split.steps},
          {"seconds", r.stats.seconds},
          {"steps_reached", r.steps_reached},
          {"goals_met", r.goals_met},
          {"counterexamples", found}};
}

// Reading a report: a wrong field throws the line to print.
struct Bad {
  std::string message;
};

class Fields {
 public:
  Fields(const std::string& file, const json& j, std::string path) : file_(file), j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail("expected an object");
  }
  [[noreturn]] void fail(const std::string& expected, const std::string& key = "") const {
    std::string where = key.empty() ? path_ : path_.empty() ? key : path_ + "." + key;
    throw Bad{file_ + ": " + (where.empty() ? "" : where + ": ") + expected};
  }
  const json& at(const std::string& key) const {
    if (!j_.contains(key)) fail("missing", key);
    return j_[key];
  }
  uint64_t count(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_number_unsigned()) fail("expected a whole number from 0", key);
    return v.get<uint64_t>();
  }
  uint32_t small(const std::string& key) const {
    uint64_t v = count(key);
    if (v > UINT32_MAX) fail("expected a number below 2^32", key);
    return static_cast<uint32_t>(v);
  }
  int integer(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < -1 || v.get<int64_t>() > INT32_MAX) fail("expected a whole number from -1", key);
    return static_cast<int>(v.get<int64_t>());
  }
  bool flag(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_boolean()) fail("expected true or false", key);
    return v.get<bool>();
  }
  std::string text(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_string()) fail("expected a string", key);
    return v.get<std::string>();
  }
  const json& array(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_array()) fail("expected an array", key);
    return v;
  }
  std::string sub(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& file() const { return file_; }

 private:
  const std::string& file_;
  const json& j_;
  std::string path_;
};

StopReason stop_reason(const Fields& f) {
  std::string name = f.text("stopped_by");
  for (StopReason r : {StopReason::none, StopReason::violation, StopReason::max_executions, StopReason::seconds,
                       StopReason::memory, StopReason::states, StopReason::interrupt})
    if (to_string(r) == name) return r;
  f.fail("expected none, violation, max_executions, seconds, memory, states or interrupt", "stopped_by");
}

std::optional<Verdict> verdict_named(const std::string& name) {
  for (Verdict v : {Verdict::pass, Verdict::bounded, Verdict::violation, Verdict::inconclusive, Verdict::vacuous})
    if (to_string(v) == name) return v;
  return std::nullopt;
}

SearchResult read_result(const std::string& file, const json& j) {
  Fields f(file, j, "result");
  SearchResult r;
  auto verdict = verdict_named(f.text("verdict"));
  if (!verdict) f.fail("expected pass, bounded, violation, inconclusive or vacuous", "verdict");
  r.verdict = *verdict;
  r.exhaustive = f.flag("exhaustive");
  r.finished = f.flag("finished");
  r.stateful = f.flag("stateful");
  r.stopped_by = stop_reason(f);
  r.stats.executions = f.count("executions");
  r.stats.steps = f.count("steps");
  r.stats.pruned = f.count("pruned");
  r.stats.states = f.count("states");
  r.stats.max_depth = f.small("max_depth");
  r.stats.bound = f.integer("bound");
  r.workers = f.small("workers");
  if (r.workers == 0) f.fail("expected a number of workers from 1", "workers");
  r.before_split.executions = f.count("executions_before_split");
  r.before_split.steps = f.count("steps_before_split");
  if (!f.at("seconds").is_number() || f.at("seconds").get<double>() < 0) f.fail("expected seconds from 0", "seconds");
  r.stats.seconds = f.at("seconds").get<double>();
  const json& reached = f.array("steps_reached");
  for (std::size_t i = 0; i < reached.size(); ++i) {
    if (!reached[i].is_string()) f.fail("expected a string", "steps_reached[" + std::to_string(i) + "]");
    r.steps_reached.push_back(reached[i].get<std::string>());
  }
  const json& goals = f.array("goals_met");
  for (std::size_t i = 0; i < goals.size(); ++i) {
    if (!goals[i].is_boolean()) f.fail("expected true or false", "goals_met[" + std::to_string(i) + "]");
    r.goals_met.push_back(goals[i].get<bool>());
  }
  const json& found = f.array("counterexamples");
  for (std::size_t i = 0; i < found.size(); ++i) {
    Fields v(file, found[i], f.sub("counterexamples[" + std::to_string(i) + "]"));
    Violation out{v.text("invariant"), v.text("message"), v.small("step"), v.small("preemptions"), {}};
    const json& decisions = v.array("decisions");
    for (std::size_t d = 0; d < decisions.size(); ++d) {
      if (!decisions[d].is_number_unsigned() || decisions[d].get<uint64_t>() > UINT32_MAX)
        v.fail("expected a whole number below 2^32", "decisions[" + std::to_string(d) + "]");
      out.decisions.push_back(decisions[d].get<uint32_t>());
    }
    r.counterexamples.push_back({std::move(out), {}, {}});
  }
  return r;
}

// The whole search's result from its shards' (in shard order): a
// counterexample any shard found is the serial search's (every shard that
// finds one finds the same); otherwise every shard must have searched its
// share to the end, and the counts add up.
SearchResult combine(const std::vector<SearchResult>& shards, std::size_t goals) {
  for (const SearchResult& r : shards)
    if (r.verdict == Verdict::violation) return r;
  SearchResult out = shards.front();
  out.goals_met.assign(goals, false);
  out.steps_reached.clear();
  out.stats = out.before_split;
  out.stats.seconds = 0;
  out.stats.states = 0;
  out.stats.pruned = 0;
  for (const SearchResult& r : shards) {
    out.stats.executions += r.stats.executions - r.before_split.executions;
    out.stats.steps += r.stats.steps - r.before_split.steps;
    out.stats.pruned += r.stats.pruned;
    out.stats.states += r.stats.states;
    out.stats.max_depth = std::max(out.stats.max_depth, r.stats.max_depth);
    out.workers = std::max(out.workers, r.workers);
    out.stats.seconds += r.stats.seconds;
    for (const std::string& id : r.steps_reached)
      if (std::find(out.steps_reached.begin(), out.steps_reached.end(), id) == out.steps_reached.end())
        out.steps_reached.push_back(id);
    for (std::size_t g = 0; g < r.goals_met.size() && g < goals; ++g) out.goals_met[g] = out.goals_met[g] || r.goals_met[g];
    if (r.verdict == Verdict::inconclusive && out.verdict != Verdict::inconclusive) {
      out.verdict = Verdict::inconclusive;
      out.finished = out.exhaustive = false;
      out.stopped_by = r.stopped_by;
    }
  }
  if (out.verdict == Verdict::pass || out.verdict == Verdict::vacuous) {
    bool all_met = std::find(out.goals_met.begin(), out.goals_met.end(), false) == out.goals_met.end();
    out.verdict = all_met ? Verdict::pass : Verdict::vacuous;
  }
  return out;
}

struct Report {
  std::string path;
  json doc;
  uint32_t shard = 0, shards = 0, tasks = 0;
};

Report read_report(const std::string& path) {
  std::string error;
  auto text = read_input_file(path, std::size_t{256} << 20, "shard report", error);
  if (!text) throw Bad{error};
  Report r{path, {}, 0, 0, 0};
  try {
    std::optional<std::string> duplicate;
    r.doc = parse_json(*text, duplicate);
    if (duplicate) throw Bad{path + ": " + *duplicate + ": given twice"};
  } catch (const nlohmann::json::parse_error&) {
    throw Bad{path + ": expected a shard report (JSON) written by fsmc run --shard"};
  } catch (const JsonValueError& e) {
    throw Bad{path + ": " + (e.path.empty() ? "" : e.path + ": ") + e.message};
  }
  Fields f(path, r.doc, "");
  if (!r.doc.contains("fsmc_shard")) f.fail("expected a shard report written by fsmc run --shard (no fsmc_shard field)");
  if (f.count("fsmc_shard") != shard_report_version)
    f.fail("expected shard report format " + std::to_string(shard_report_version), "fsmc_shard");
  r.shards = f.small("shards");
  r.shard = f.small("shard");
  r.tasks = f.small("tasks");
  if (r.shards == 0 || r.shard >= r.shards) f.fail("expected a shard below shards", "shard");
  return r;
}

// One line when `b` does not belong with `a`, the first report.
void same_search(const Report& a, const Report& b, const std::string& version) {
  Fields f(b.path, b.doc, "");
  if (f.text("fsmc_version") != version)
    f.fail("expected a report of this fsmc (" + version + "), got one of fsmc " + f.text("fsmc_version"), "fsmc_version");
  if (b.doc["scenario_json"] != a.doc["scenario_json"])
    f.fail("expected the scenario of " + a.path + " (content " + content_hash(a.doc["scenario_json"]) + "), got " +
               content_hash(b.doc["scenario_json"]),
           "scenario_json");
  if (b.doc["settings"] != a.doc["settings"])
    f.fail("expected the settings of " + a.path + " (" + a.doc["settings"].dump() + ")", "settings");
  if (b.shards != a.shards) f.fail("expected " + std::to_string(a.shards) + " shards, as " + a.path + " has", "shards");
  if (b.tasks != a.tasks) f.fail("expected " + std::to_string(a.tasks) + " tasks, as " + a.path + " has", "tasks");
}

}  // namespace

nlohmann::ordered_json shard_settings(const ScenarioFile& sf) {
  const SearchConfig& s = sf.search;
  return {{"kernel", sf.scenario.kernel}, {"strategy", to_string(s.strategy)}, {"preemptions", s.preemptions},
          {"seed", s.seed},               {"stateful", s.stateful},            {"max_executions", s.max_executions}};
}

std::string shard_report_name(const ScenarioFile& sf, uint32_t shard, uint32_t shards) {
  return sf.scenario.name + ".shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".json";
}

nlohmann::ordered_json shard_report(const ScenarioFile& sf, const SearchResult& result, const TaskSelection& shard,
                                    const std::string& version) {
  return {{"fsmc_shard", shard_report_version},
          {"fsmc_version", version},
          {"scenario", sf.scenario.name},
          {"scenario_file", portable_path(sf.path)},
          {"scenario_json", sf.json},
          {"settings", shard_settings(sf)},
          {"shard", shard.shard},
          {"shards", shard.shards},
          {"tasks", result.tasks},
          {"result", result_json(result)}};
}

std::optional<MergedShards> read_shard_reports(const std::vector<std::string>& paths, const std::string& version,
                                               std::string& error) {
  try {
    if (paths.empty()) throw Bad{"fsmc merge: expected the shard reports of one search"};
    std::vector<Report> reports;
    for (const std::string& path : paths) reports.push_back(read_report(path));
    const Report& first = reports.front();
    std::vector<std::string> by_shard(first.shards);
    for (const Report& r : reports) {
      same_search(first, r, version);
      if (!by_shard[r.shard].empty())
        throw Bad{r.path + ": shard " + std::to_string(r.shard) + " of " + std::to_string(r.shards) + " is also " +
                  by_shard[r.shard] + "; expected each shard once"};
      by_shard[r.shard] = r.path;
    }
    for (uint32_t s = 0; s < first.shards; ++s)
      if (by_shard[s].empty())
        throw Bad{"fsmc merge: shard " + std::to_string(s) + " of " + std::to_string(first.shards) +
                  " is missing (expected its report, " + first.doc.value("scenario", "?") + ".shard-" +
                  std::to_string(s) + "-of-" + std::to_string(first.shards) + ".json; rerun that shard)"};

    Fields f(first.path, first.doc, "");
    MergedShards m;
    InputError bad;
    auto sf = parse_scenario(f.text("scenario_file"), f.at("scenario_json"), bad);
    if (!sf) throw Bad{first.path + ": scenario_json: " + bad.message};
    Fields settings(first.path, f.at("settings"), "settings");
    Overrides o;
    o.kernel = settings.text("kernel");
    o.strategy = parse_strategy(settings.text("strategy"));
    if (!o.strategy) settings.fail("expected " + strategy_names(), "strategy");
    o.preemptions = settings.integer("preemptions");
    o.seed = settings.count("seed");
    o.stateful = settings.flag("stateful");
    o.max_executions = settings.count("max_executions");
    apply(o, *sf);
    m.scenario = std::move(*sf);
    std::vector<SearchResult> shards(first.shards);
    for (const Report& r : reports) shards[r.shard] = read_result(r.path, Fields(r.path, r.doc, "").at("result"));
    // Without a split (a search other than the stateful proof, or one the
    // bounded rounds finished) every shard ran the whole search alike.
    m.result = first.tasks == 0 ? shards.front() : combine(shards, m.scenario.search.reach.size());
    return m;
  } catch (const Bad& b) {
    error = b.message;
    return std::nullopt;
  }
}

}  // namespace fsmc::cli
