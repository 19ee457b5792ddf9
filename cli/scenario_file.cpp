#include "cli/scenario_file.hpp"

#include <algorithm>
#include <cctype>

#include "cli/did_you_mean.hpp"
#include "cli/input_file.hpp"
#include "cli/strict_json.hpp"
#include "model/fixes.hpp"
#include "model/invariants.hpp"
#include "model/kernel_steps.hpp"
#include "model/ops.hpp"
#include "model/validate.hpp"
#include "reports/json_syntax.hpp"

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

// Thrown inside the parser only; read_scenario turns it into an InputError.
struct Bad {
  std::string path;
  std::string message;
  bool trace = false;  // the file is a trace, not a scenario
};

std::string kind_of(const json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number_integer() || j.is_number_unsigned()) return "the number " + j.dump();
  if (j.is_number()) return "the number " + j.dump();
  if (j.is_string()) return "the string " + shown_text(j.get<std::string>());
  if (j.is_array()) return "an array";
  return "an object";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

template <class T>
std::vector<std::string> names_of(std::span<const T> items) {
  std::vector<std::string> out;
  for (const T& i : items) out.push_back(i.name);
  return out;
}

class Reader {
 public:
  void object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    object(j, path, std::vector<std::string>(allowed.begin(), allowed.end()));
  }

  void object(const json& j, const std::string& path, const std::vector<std::string>& names) {
    if (!j.is_object()) throw Bad{path, "expected an object, got " + kind_of(j)};
    for (const auto& [key, value] : j.items())
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        std::string m = "unknown field (expected one of " + join(names) + ")";
        if (auto near = did_you_mean(key, names)) m += "; did you mean \"" + *near + "\"?";
        throw Bad{at(path, key), m};
      }
  }

  uint64_t integer(const json& j, const std::string& path, uint64_t lo, uint64_t hi) {
    if (!j.is_number_integer() && !j.is_number_unsigned())
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + kind_of(j)};
    if (j.is_number_integer() && j.get<int64_t>() < 0)
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + j.dump()};
    uint64_t v = j.get<uint64_t>();
    if (v < lo || v > hi)
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + j.dump()};
    return v;
  }

  double number(const json& j, const std::string& path) {
    if (!j.is_number() || j.get<double>() < 0) throw Bad{path, "expected a non-negative number, got " + kind_of(j)};
    return j.get<double>();
  }

  std::string string(const json& j, const std::string& path) {
    if (!j.is_string()) throw Bad{path, "expected a string, got " + kind_of(j)};
    return j.get<std::string>();
  }

  bool boolean(const json& j, const std::string& path) {
    if (!j.is_boolean()) throw Bad{path, "expected true or false, got " + kind_of(j)};
    return j.get<bool>();
  }

  // A string that must be one of `names` (with a suggestion for typos).
  std::string name(const json& j, const std::string& path, const std::vector<std::string>& names, const char* what) {
    std::string s = string(j, path);
    if (std::find(names.begin(), names.end(), s) != names.end()) return s;
    std::string m = "unknown " + std::string(what) + " " + shown_text(s) + " (expected one of " + join(names) + ")";
    if (auto near = did_you_mean(s, names)) m += "; did you mean \"" + *near + "\"?";
    throw Bad{path, m};
  }

  const json& array(const json& j, const std::string& path, std::size_t lo, std::size_t hi, const char* of) {
    if (!j.is_array()) throw Bad{path, std::string("expected an array of ") + of + ", got " + kind_of(j)};
    if (j.size() < lo || j.size() > hi)
      throw Bad{path, "expected " + std::to_string(lo) + " to " + std::to_string(hi) + " " + of + ", got " +
                          std::to_string(j.size())};
    return j;
  }

  static std::string at(const std::string& path, const std::string& key) {
    return path.empty() ? path_key(key) : path + "." + path_key(key);
  }
  static std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
};

// A field the model judges: the reader checks only that the JSON is a value
// the field can hold, worded with the model's expectation for it.
model::FieldValue model_value(const json& j, const std::string& path, model::FieldType type, bool any,
                              const std::string& expected) {
  if (type == model::FieldType::boolean) {
    if (!j.is_boolean()) throw Bad{path, "expected " + expected + ", got " + kind_of(j)};
    return {false, j.get<bool>()};
  }
  if (any && j.is_string() && j.get<std::string>() == "any") return {true, 0};
  bool integer = j.is_number_integer() || j.is_number_unsigned();
  if (integer && !(j.is_number_integer() && j.get<int64_t>() < 0) && j.get<uint64_t>() <= model::max_field_value)
    return {false, j.get<uint64_t>()};
  std::string got = integer ? j.dump() : any && j.is_string() ? shown_text(j.get<std::string>()) : kind_of(j);
  throw Bad{path, "expected " + expected + ", got " + got};
}

// An op's fields by its entry in the ops table, in the table's order (a
// field's expectation may depend on those before it, like copy on pages).
model::OpSpec read_op(Reader& r, const json& j, const std::string& path, const model::FileSpec& file) {
  if (!j.is_object()) throw Bad{path, "expected an object, got " + kind_of(j)};
  if (!j.contains("op")) throw Bad{Reader::at(path, "op"), "missing (expected the name of an operation)"};
  model::OpSpec op;
  op.op = r.name(j["op"], Reader::at(path, "op"), names_of(model::op_table()), "operation");
  const model::OpInfo& info = *model::find_op(op.op);
  std::vector<std::string> allowed = {"op"};
  for (const model::OpField& f : info.fields) allowed.push_back(f.name);
  r.object(j, path, allowed);
  // write's two forms: page and pages, or offset and length.
  auto given_in = [&](model::Form form) {
    for (const model::OpField& f : info.fields)
      if (f.form == form && j.contains(f.name)) return f.name;
    return static_cast<const char*>(nullptr);
  };
  const char* by_bytes = given_in(model::Form::bytes);
  if (const char* by_pages = given_in(model::Form::pages); by_pages && by_bytes)
    throw Bad{Reader::at(path, by_pages), "expected either page and pages or offset and length, not both"};
  model::Form form = by_bytes ? model::Form::bytes : model::Form::pages;
  for (const model::OpField& f : info.fields) {
    if (f.form != model::Form::either && f.form != form) continue;
    std::string at = Reader::at(path, f.name);
    if (!j.contains(f.name)) {
      if (f.required) throw Bad{at, "missing (expected " + model::expected(f, file, op) + ")"};
      continue;
    }
    f.set(op, model_value(j[f.name], at, f.type, f.any, model::expected(f, file, op)));
  }
  return op;
}

// An array the model bounds (validate counts it); the reader only caps what it holds.
const json& model_array(Reader& r, const json& j, const std::string& path, const char* of) {
  return r.array(j, path, 0, 1'000'000, of);
}

void read_file_section(Reader& r, const json& j, model::FileSpec& f) {
  r.object(j, "file", {"size", "pages", "extents", "cache", "free_blocks"});
  auto integer = [&](const char* key, model::Rule rule) {
    return model_value(j[key], std::string("file.") + key, model::FieldType::integer, false, model::expected(rule, f, {}))
        .number;
  };
  if (j.contains("size")) f.size = static_cast<uint32_t>(integer("size", model::Rule::file_size));
  f.pages = f.size;
  if (j.contains("pages")) f.pages = static_cast<uint32_t>(integer("pages", model::Rule::file_pages));
  const std::vector<std::string> extent_names = names_of<model::Name<model::ExtentState>>(model::extent_state_names);
  const std::vector<std::string> cache_names = names_of<model::Name<model::CacheState>>(model::cache_state_names);
  if (j.contains("extents")) {
    const json& a = model_array(r, j["extents"], "file.extents", "extent states");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string s = r.name(a[i], Reader::at("file.extents", i), extent_names, "extent state");
      f.extents.push_back(*model::parse_extent_state(s));
    }
  }
  if (j.contains("cache")) {
    const json& a = model_array(r, j["cache"], "file.cache", "cache states");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string s = r.name(a[i], Reader::at("file.cache", i), cache_names, "cache state");
      f.cache.push_back(*model::parse_cache_state(s));
    }
  }
  if (j.contains("free_blocks")) f.free_blocks = integer("free_blocks", model::Rule::free_blocks);
}

void read_search(Reader& r, const json& j, SearchConfig& s) {
  r.object(j, "search", {"strategy", "preemptions", "max_executions", "seconds", "seed", "depth", "stateful", "schedule"});
  if (j.contains("strategy")) {
    std::vector<std::string> names;
    for (const StrategyEntry& e : strategies()) names.emplace_back(e.name);
    std::string name = r.name(j["strategy"], "search.strategy", names, "strategy");
    s.strategy = *parse_strategy(name);
  }
  if (j.contains("preemptions")) s.preemptions = static_cast<int>(r.integer(j["preemptions"], "search.preemptions", 0, 64));
  if (j.contains("max_executions")) s.max_executions = r.integer(j["max_executions"], "search.max_executions", 1, UINT64_MAX >> 1);
  if (j.contains("seconds")) s.seconds = r.number(j["seconds"], "search.seconds");
  if (j.contains("seed")) s.seed = r.integer(j["seed"], "search.seed", 0, UINT64_MAX >> 1);
  if (j.contains("depth")) s.depth = static_cast<uint32_t>(r.integer(j["depth"], "search.depth", 1, 64));
  if (j.contains("stateful")) s.stateful = r.boolean(j["stateful"], "search.stateful");
  if (j.contains("schedule")) {
    const json& a = r.array(j["schedule"], "search.schedule", 0, 1'000'000, "decisions");
    std::vector<uint32_t> schedule;
    for (std::size_t i = 0; i < a.size(); ++i)
      schedule.push_back(static_cast<uint32_t>(r.integer(a[i], Reader::at("search.schedule", i), 0, UINT32_MAX)));
    s.schedule = std::move(schedule);
  }
}

// "reach": goals an exhaustive search must meet, else its verdict is vacuous.
std::vector<ReachGoal> read_reach(Reader& r, const json& j) {
  const json& a = r.array(j, "reach", 1, 16, "goals");
  const std::vector<std::string>& ids = model::kernel_steps();
  std::vector<ReachGoal> goals;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string at = Reader::at("reach", i);
    r.object(a[i], at, {"step", "after", "before"});
    if (!a[i].contains("step")) throw Bad{at + ".step", "missing (expected a step id such as M12)"};
    ReachGoal g;
    g.step = r.name(a[i]["step"], at + ".step", ids, "step id");
    if (a[i].contains("after")) g.after = r.name(a[i]["after"], at + ".after", ids, "step id");
    if (a[i].contains("before")) {
      if (g.after.empty()) throw Bad{at + ".before", "expected only together with \"after\" (the window opens at after)"};
      g.before = r.name(a[i]["before"], at + ".before", ids, "step id");
    }
    goals.push_back(std::move(g));
  }
  return goals;
}

void read_expect(Reader& r, const json& j, const std::vector<std::string>& checked, Expect& e) {
  r.object(j, "expect", {"verdict", "invariants", "invariant"});
  if (!j.contains("verdict")) throw Bad{"expect.verdict", "missing (expected \"pass\", \"violation\", \"bounded\" or \"vacuous\")"};
  e.given = true;
  e.verdict = r.name(j["verdict"], "expect.verdict", {"pass", "violation", "bounded", "vacuous"}, "verdict");
  auto invariant = [&](const json& v, const std::string& path) {
    std::string name = r.name(v, path, names_of(model::invariant_table()), "invariant");
    if (std::find(checked.begin(), checked.end(), name) == checked.end() && name != no_deadlock && name != step_limit)
      throw Bad{path, "\"" + name + "\" is not checked by this scenario (see \"check\")"};
    e.invariants.insert(name);
  };
  if (j.contains("invariant")) invariant(j["invariant"], "expect.invariant");
  if (j.contains("invariants")) {
    const json& a = r.array(j["invariants"], "expect.invariants", 1, 16, "invariant names");
    for (std::size_t i = 0; i < a.size(); ++i) invariant(a[i], Reader::at("expect.invariants", i));
  }
  if (e.verdict == "violation" && e.invariants.empty())
    throw Bad{"expect.invariants", "missing (a violation expects the set of invariants it breaks)"};
  if (e.verdict != "violation" && !e.invariants.empty())
    throw Bad{"expect.invariants", "only a \"violation\" names invariants"};
}

// Scenario and thread names reach file names, JUnit, HTML and the terminal:
// a safe character set, and short enough for a file name with its suffixes.
constexpr std::size_t max_scenario_name = 100;
constexpr std::size_t max_thread_name = 32;

bool safe_name(const std::string& name, std::size_t longest) {
  return !name.empty() && name.size() <= longest && name[0] != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+';
         });
}

// The scenario's identity: format version, name, description, kernel, fixes.
void read_identity(Reader& r, const json& j, model::Scenario& s) {
  std::string version = "the format version " + std::to_string(scenario_version);
  if (!j.contains("fsmc")) throw Bad{"fsmc", "missing (expected " + version + ")"};
  if (j["fsmc"] != scenario_version) throw Bad{"fsmc", "expected " + version + ", got " + kind_of(j["fsmc"])};
  if (!j.contains("name")) throw Bad{"name", "missing (expected a string naming the scenario)"};
  s.name = r.string(j["name"], "name");
  // The name becomes a file name in --out and a JUnit test name: no paths.
  if (!safe_name(s.name, max_scenario_name))
    throw Bad{"name", "expected an identifier of at most " + std::to_string(max_scenario_name) +
                          " letters, digits, - _ . + (not starting with .), got " + shown_text(s.name)};
  if (j.contains("description")) s.description = r.string(j["description"], "description");
  if (!j.contains("kernel")) throw Bad{"kernel", "missing (expected one of " + join(names_of(model::kernel_table())) + ")"};
  s.kernel = r.name(j["kernel"], "kernel", names_of(model::kernel_table()), "kernel");
  if (j.contains("fixes")) {
    if (!j["fixes"].is_object()) throw Bad{"fixes", "expected an object of fix names to true or false, got " + kind_of(j["fixes"])};
    for (const auto& [name, on] : j["fixes"].items()) {
      std::string path = Reader::at("fixes", name);
      r.name(json(name), path, names_of(model::fix_table()), "fix");
      s.fixes[name] = r.boolean(on, path);
    }
  }
}

// threads[t] (at path `tp`): its name and its ops.
model::ThreadSpec read_thread(Reader& r, const json& thread, const std::string& tp, const model::FileSpec& file) {
  r.object(thread, tp, {"name", "ops"});
  model::ThreadSpec ts;
  if (!thread.contains("name")) throw Bad{tp + ".name", "missing (expected a string)"};
  ts.name = r.string(thread["name"], tp + ".name");
  if (!safe_name(ts.name, max_thread_name))
    throw Bad{tp + ".name", "expected a name of at most " + std::to_string(max_thread_name) +
                                " letters, digits, - _ . + (not starting with .), got " + shown_text(ts.name)};
  if (!thread.contains("ops"))
    throw Bad{tp + ".ops", "missing (expected 0 to " + std::to_string(model::thread_max_ops) + " operations)"};
  const json& ops = model_array(r, thread["ops"], tp + ".ops", "operations");
  for (std::size_t i = 0; i < ops.size(); ++i) ts.ops.push_back(read_op(r, ops[i], Reader::at(tp + ".ops", i), file));
  return ts;
}

// What the scenario checks and how: check, search, reach, expect.
void read_checks(Reader& r, const json& j, ScenarioFile& sf) {
  model::Scenario& s = sf.scenario;
  std::vector<std::string> all = names_of(model::invariant_table());
  if (j.contains("check")) {
    const json& a = r.array(j["check"], "check", 1, 16, "invariant names");
    for (std::size_t i = 0; i < a.size(); ++i) s.check.push_back(r.name(a[i], Reader::at("check", i), all, "invariant"));
  }
  sf.search.check = s.check;
  if (j.contains("search")) read_search(r, j["search"], sf.search);
  if (j.contains("reach")) sf.search.reach = read_reach(r, j["reach"]);
  if (j.contains("expect")) read_expect(r, j["expect"], s.check.empty() ? all : s.check, sf.expect);
  if (sf.expect.verdict == "vacuous" && sf.search.reach.empty())
    throw Bad{"expect.verdict", "expected \"vacuous\" only with reach goals (a search without goals is never vacuous)"};
}

ScenarioFile read_all(const std::string& path, const json& j) {
  Reader r;
  if (j.is_object() && j.contains("fsmc_trace"))
    throw Bad{"fsmc_trace", "expected a scenario file, got a trace (read it with fsmc replay or fsmc show)", true};
  r.object(j, "", {"fsmc", "name", "description", "kernel", "fixes", "file", "threads", "check", "reach", "search",
                   "expect"});
  ScenarioFile sf;
  sf.path = path;
  sf.json = j;
  model::Scenario& s = sf.scenario;
  read_identity(r, j, s);
  if (j.contains("file")) read_file_section(r, j["file"], s.file);
  else throw Bad{"file", "missing (expected an object with at least \"size\" or \"pages\")"};
  if (!j.contains("threads"))
    throw Bad{"threads", "missing (expected 1 to " + std::to_string(model::scenario_max_threads) + " threads)"};
  const json& threads = model_array(r, j["threads"], "threads", "threads");
  for (std::size_t t = 0; t < threads.size(); ++t)
    s.threads.push_back(read_thread(r, threads[t], Reader::at("threads", t), s.file));
  read_checks(r, j, sf);
  // The model's own rules: ranges, limits, a starting state the kernel could be in.
  std::vector<model::ValidationError> errors = model::validate(s);
  if (!errors.empty()) throw Bad{errors[0].path, errors[0].message};
  return sf;
}

}  // namespace

std::optional<ScenarioFile> parse_scenario(const std::string& path, const json& j, InputError& error) {
  try {
    return read_all(path, j);
  } catch (const Bad& bad) {
    error.message = path + ": " + (bad.path.empty() ? "" : bad.path + ": ") + bad.message;
    error.is_trace = bad.trace;
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // Every field is type-checked before use; this is a reader bug, still not a crash.
    error.message = path + ": cannot read the scenario (" + std::string(e.what()) + ")";
    return std::nullopt;
  }
}

std::optional<ScenarioFile> parse_scenario(const std::string& path, const std::string& text, InputError& error) {
  json j;
  std::optional<std::string> duplicate;
  try {
    j = parse_json(text, duplicate);
  } catch (const json::parse_error& e) {
    error.message = reports::json_syntax_error(path, text, e);
    return std::nullopt;
  } catch (const JsonValueError& e) {
    error.message = path + ": " + (e.path.empty() ? "" : e.path + ": ") + e.message;
    return std::nullopt;
  }
  if (duplicate) {
    error.message = path + ": " + *duplicate + ": expected each field once, got it twice in one object";
    return std::nullopt;
  }
  return parse_scenario(path, j, error);
}

std::optional<InputError> name_clash(const std::vector<ScenarioFile>& files) {
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (files[k].scenario.name == files[i].scenario.name && files[k].path != files[i].path)
        return InputError{files[i].path + ": name: expected a name no other scenario of this run has, got \"" +
                          files[i].scenario.name + "\" (" + files[k].path + " has it too)"};
  return std::nullopt;
}

std::optional<ScenarioFile> read_scenario(const std::string& path, InputError& error) {
  std::optional<std::string> text = read_input_file(path, max_scenario_bytes, "a scenario file", error.message);
  if (!text) return std::nullopt;
  return parse_scenario(path, *text, error);
}

}  // namespace fsmc::cli
