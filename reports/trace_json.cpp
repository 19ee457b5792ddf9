#include "reports/trace_json.hpp"

#include <algorithm>

#include "reports/json_syntax.hpp"

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
    j["locks"] = s.locks;
    if (s.op == OpKind::choose) j["value"] = s.value;
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
std::optional<LoadedTrace> read_trace(const std::string& path, const std::string& text, std::string& error) {
  LoadedTrace t;
  try {
    t.json = json::parse(text);
  } catch (const json::parse_error& e) {
    error = json_syntax_error(path, text, e);
    return std::nullopt;
  }
  const json& j = t.json;
  auto need = [&](const char* key, bool ok, const char* expected) {
    if (ok) return true;
    error = path + ": " + key + ": expected " + expected;
    return false;
  };
  if (!need("fsmc_trace", j.is_object() && j.contains("fsmc_trace") && j["fsmc_trace"] == trace_version,
            "a trace of format version 1"))
    return std::nullopt;
  if (!need("invariant", j.contains("invariant") && j["invariant"].is_string(), "the violated invariant's name") ||
      !need("decisions", j.contains("decisions") && j["decisions"].is_array(), "an array of decisions") ||
      !need("steps", j.contains("steps") && j["steps"].is_array(), "an array of steps") ||
      !need("scenario_json", j.contains("scenario_json") && j["scenario_json"].is_object(), "the embedded scenario"))
    return std::nullopt;
  t.invariant = j["invariant"];
  t.message = j.value("message", "");
  for (std::size_t i = 0; i < j["decisions"].size(); ++i) {
    const json& d = j["decisions"][i];
    if (!d.is_number_unsigned() || d.get<uint64_t>() > UINT32_MAX) {
      error = path + ": decisions[" + std::to_string(i) + "]: expected a thread id or choice (an integer from 0), got " +
              d.dump();
      return std::nullopt;
    }
    t.decisions.push_back(d.get<uint32_t>());
  }
  for (std::size_t i = 0; i < j["steps"].size(); ++i) {
    const json& s = j["steps"][i];
    std::string at = "steps[" + std::to_string(i) + "]";
    if (!need(at.c_str(), s.is_object(), "an object")) return std::nullopt;
    // A required text field that is missing or mistyped names itself.
    auto text = [&](const char* field, std::string& into) {
      std::string where = at + "." + field;
      if (!need(where.c_str(), s.contains(field) && s[field].is_string(), "a string")) return false;
      into = s[field].get<std::string>();
      return true;
    };
    TraceStep step;
    std::string op;
    if (!text("thread", step.thread_name) || !text("function", step.function) || !text("op", op) ||
        !text("detail", step.detail))
      return std::nullopt;
    std::string locks = at + ".locks";
    if (s.contains("locks") &&
        !need(locks.c_str(), s["locks"].is_array() && std::all_of(s["locks"].begin(), s["locks"].end(),
                                                                   [](const json& l) { return l.is_string(); }),
              "an array of lock names"))
      return std::nullopt;
    step.index = s.contains("step") && s["step"].is_number_unsigned() ? s["step"].get<uint32_t>() : static_cast<uint32_t>(i);
    for (int k = 0; k <= static_cast<int>(OpKind::finish); ++k)
      if (to_string(static_cast<OpKind>(k)) == op) step.op = static_cast<OpKind>(k);
    step.point = s.contains("point") && s["point"].is_string() ? s["point"].get<std::string>() : "";
    step.object = s.contains("object") && s["object"].is_string() ? s["object"].get<std::string>() : "";
    if (s.contains("locks")) step.locks = s["locks"].get<std::vector<std::string>>();
    t.steps.push_back(std::move(step));
  }
  const json& threads = j["scenario_json"].value("threads", json::array());
  for (const json& thread : threads)
    if (thread.is_object() && thread.contains("name") && thread["name"].is_string()) t.threads.push_back(thread["name"]);
  return t;
}
}  // namespace

std::optional<LoadedTrace> trace_from_json(const std::string& path, const std::string& text, std::string& error) {
  try {
    return read_trace(path, text, error);
  } catch (const nlohmann::json::exception& e) {
    error = path + ": not a well-formed fsmc trace (" + std::string(e.what()) + ")";
    return std::nullopt;
  }
}

}  // namespace fsmc::reports
