#include "reports/trace_json.hpp"

#include <algorithm>
#include <cstdint>


namespace fsmc::reports {

using json = nlohmann::ordered_json;

json state_to_json(const StateDump& state) {
  json out = json::object();
  for (const StateField& f : state) std::visit([&](const auto& v) { out[f.key] = v; }, f.value);
  return out;
}

json trace_to_json(const TraceInfo& info, const Counterexample& c, const json& explain) {
  json t;
  t["fsmc_trace"] = trace_version;
  t["scenario"] = info.scenario;
  t["scenario_file"] = info.scenario_file;
  t["kernel"] = info.kernel;
  t["fixes"] = info.fixes;
  t["verdict"] = "violation";
  t["invariant"] = c.violation.invariant;
  t["message"] = c.violation.message;
  t["preemptions"] = c.violation.preemptions;
  t["decisions"] = c.violation.decisions;
  json steps = json::array();
  for (const TraceStep& s : c.steps) {
    json j;
    j["step"] = s.index;
    j["thread"] = s.thread_name;
    j["function"] = s.function;
    j["point"] = s.point;
    j["op"] = std::string(to_string(s.op));
    j["object"] = s.object;
    j["detail"] = s.detail;
    j["locks"] = lock_texts(s.locks);
    if (s.op == OpKind::choose) j["value"] = s.value;
    if (s.preemption) j["preemption"] = true;
    steps.push_back(std::move(j));
  }
  t["steps"] = std::move(steps);
  t["state"] = state_to_json(c.state);
  t["stats"] = {{"executions", info.executions}, {"strategy", info.strategy}, {"seed", info.seed}};
  if (!explain.is_null()) t["explain"] = explain;
  t["scenario_json"] = info.scenario_json;
  return t;
}

namespace {

// Text a trace may hold: printed on terminals and in charts, so no control
// characters and no Unicode direction overrides (which can make a line read
// differently from what it holds), and not unboundedly long.
bool printable(const std::string& s, std::size_t longest) {
  if (s.size() > longest) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    auto next = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    if (c == 0xd8 && next(1) == 0x9c) return false;  // U+061C ARABIC LETTER MARK
    if (c == 0xe2 && next(1) == 0x80 && (next(2) == 0x8e || next(2) == 0x8f || (next(2) >= 0xaa && next(2) <= 0xae)))
      return false;  // U+200E/F, U+202A..E
    if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9) return false;  // U+2066..9
  }
  return true;
}

constexpr std::size_t max_name = 256;      // function, point, object, thread, lock, state keys
constexpr std::size_t max_detail = 4096;   // a step's detail
constexpr std::size_t max_message = 8192;  // the violation's message
constexpr std::size_t max_locks = 256;     // locks one thread holds (a folio lock per page at most, and a few more)
constexpr std::size_t max_state_entries = 4096;

struct Bad {
  std::string path;
  std::string expected;
};

std::string text(const json& j, const std::string& path, std::size_t longest) {
  if (!j.is_string()) throw Bad{path, "a string"};
  const std::string& s = j.get_ref<const std::string&>();
  if (!printable(s, longest))
    throw Bad{path, "printable text of at most " + std::to_string(longest) + " bytes, without control characters"};
  return s;
}

const json& field(const json& j, const char* key, const std::string& expected) {
  if (!j.contains(key)) throw Bad{key, expected + " (missing)"};
  return j[key];
}

std::optional<OpKind> op_kind(const std::string& name) {
  for (int k = 0; k <= static_cast<int>(OpKind::finish); ++k)
    if (to_string(static_cast<OpKind>(k)) == name) return static_cast<OpKind>(k);
  return std::nullopt;
}

TraceStep read_step(const json& s, std::size_t i) {
  std::string at = "steps[" + std::to_string(i) + "]";
  if (!s.is_object()) throw Bad{at, "an object"};
  auto required = [&](const char* key, std::size_t longest) {
    std::string where = at + "." + key;
    if (!s.contains(key)) throw Bad{where, "a string (missing)"};
    return text(s[key], where, longest);
  };
  auto optional = [&](const char* key) {
    return s.contains(key) ? text(s[key], at + "." + key, max_name) : std::string();
  };
  TraceStep step;
  step.index = static_cast<uint32_t>(i);
  if (s.contains("step") && !(s["step"].is_number_unsigned() && s["step"].get<uint64_t>() == i))
    throw Bad{at + ".step", std::to_string(i) + " (steps are numbered in order from 0)"};
  step.thread_name = required("thread", max_name);
  step.function = required("function", max_name);
  std::string op = required("op", max_name);
  if (auto kind = op_kind(op)) step.op = *kind;
  else throw Bad{at + ".op", "an operation the engine knows (lock, access, wait, ...)"};
  step.detail = required("detail", max_detail);
  step.point = optional("point");
  step.object = optional("object");
  if (s.contains("locks")) {
    const json& locks = s["locks"];
    if (!locks.is_array() || locks.size() > max_locks)
      throw Bad{at + ".locks", "an array of at most " + std::to_string(max_locks) + " lock names"};
    for (std::size_t k = 0; k < locks.size(); ++k)
      step.locks.push_back(parse_held_lock(text(locks[k], at + ".locks[" + std::to_string(k) + "]", max_name)));
  }
  if (s.contains("value")) {
    if (!s["value"].is_number_unsigned() || s["value"].get<uint64_t>() > UINT32_MAX)
      throw Bad{at + ".value", "the chosen value (an integer from 0)"};
    step.value = s["value"].get<uint32_t>();
  }
  if (s.contains("preemption")) {
    if (!s["preemption"].is_boolean()) throw Bad{at + ".preemption", "true or false"};
    step.preemption = s["preemption"].get<bool>();
  }
  return step;
}

// The state is shown as a table: scalars, and arrays of scalars (one per page).
void check_state(const json& state) {
  if (!state.is_object()) throw Bad{"state", "an object"};
  std::size_t entries = 0;
  for (const auto& [key, value] : state.items()) {
    if (!printable(key, max_name)) throw Bad{"state", "field names of printable text"};
    std::string at = "state." + key;
    auto scalar = [&](const json& v, const std::string& where) {
      if (v.is_string()) text(v, where, max_name);
      else if (!v.is_number() && !v.is_boolean()) throw Bad{where, "a string, number or boolean"};
      ++entries;
    };
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) scalar(value[i], at + "[" + std::to_string(i) + "]");
    } else {
      scalar(value, at);
    }
    if (entries > max_state_entries)
      throw Bad{"state", "at most " + std::to_string(max_state_entries) + " values"};
  }
}

LoadedTrace read_trace(const json& j) {
  LoadedTrace t;
  if (!j.is_object()) throw Bad{"", "a JSON object (an fsmc trace)"};
  if (!j.contains("fsmc_trace") && j.contains("fsmc"))
    throw Bad{"fsmc_trace", "a trace, got a scenario file (search it with fsmc run or fsmc check)"};
  if (field(j, "fsmc_trace", "a trace of format version 1") != trace_version)
    throw Bad{"fsmc_trace", "a trace of format version 1"};
  text(field(j, "scenario", "the scenario's name"), "scenario", max_name);
  text(field(j, "kernel", "the kernel variant"), "kernel", max_name);
  if (j.contains("fixes")) {
    if (!j["fixes"].is_object()) throw Bad{"fixes", "an object of fix names to true or false"};
    for (const auto& [name, on] : j["fixes"].items()) {
      if (!printable(name, max_name) || !on.is_boolean()) throw Bad{"fixes", "an object of fix names to true or false"};
      t.fixes[name] = on.get<bool>();
    }
  }
  if (j.contains("verdict") && j["verdict"] != "violation") throw Bad{"verdict", "\"violation\""};
  t.invariant = text(field(j, "invariant", "the violated invariant's name"), "invariant", max_name);
  if (j.contains("message")) t.message = text(j["message"], "message", max_message);
  const json& decisions = field(j, "decisions", "an array of decisions");
  if (!decisions.is_array()) throw Bad{"decisions", "an array of decisions"};
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const json& d = decisions[i];
    if (!d.is_number_unsigned() || d.get<uint64_t>() > UINT32_MAX)
      throw Bad{"decisions[" + std::to_string(i) + "]", "a thread id or choice (an integer from 0)"};
    t.decisions.push_back(d.get<uint32_t>());
  }
  const json& steps = field(j, "steps", "an array of steps");
  if (!steps.is_array()) throw Bad{"steps", "an array of steps"};
  if (steps.empty()) throw Bad{"steps", "at least one step (the violating one)"};
  if (steps.size() > max_trace_steps)
    throw Bad{"steps", "at most " + std::to_string(max_trace_steps) + " steps (the engine's step limit)"};
  for (std::size_t i = 0; i < steps.size(); ++i) t.steps.push_back(read_step(steps[i], i));
  if (j.contains("state")) check_state(j["state"]);
  if (!field(j, "scenario_json", "the embedded scenario").is_object())
    throw Bad{"scenario_json", "the embedded scenario (an object)"};
  const json& threads = j["scenario_json"].value("threads", json::array());
  if (threads.is_array())
    for (const json& thread : threads)
      if (thread.is_object() && thread.contains("name") && thread["name"].is_string()) t.threads.push_back(thread["name"]);
  t.json = j;
  return t;
}

}  // namespace

std::optional<LoadedTrace> trace_from_json(const std::string& path, const json& j, std::string& error) {
  try {
    return read_trace(j);
  } catch (const Bad& bad) {
    error = path + ": " + (bad.path.empty() ? "" : bad.path + ": ") + "expected " + bad.expected;
    return std::nullopt;
  }
}

}  // namespace fsmc::reports
