#include "cli/trace_file.hpp"

#include <algorithm>

#include "cli/input_file.hpp"
#include "cli/strict_json.hpp"
#include "model/invariants.hpp"
#include "model/program.hpp"
#include "model/scenario.hpp"
#include "reports/json_syntax.hpp"

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

std::optional<json> parse(const std::string& path, const std::string& text, std::string& error) {
  std::optional<std::string> duplicate;
  try {
    json j = parse_json(text, duplicate);
    if (!duplicate) return j;
    error = path + ": " + *duplicate + ": expected each field once, got it twice in one object";
  } catch (const json::parse_error& e) {
    error = reports::json_syntax_error(path, text, e);
  } catch (const JsonValueError& e) {
    error = path + ": " + (e.path.empty() ? "" : e.path + ": ") + e.message;
  }
  return std::nullopt;
}

// The header and the steps against the embedded scenario; "" when they agree.
std::string disagreement(const TraceFile& f) {
  const reports::LoadedTrace& t = f.trace;
  const model::Scenario& s = f.scenario.scenario;
  if (t.json["scenario"] != s.name)
    return "scenario: expected the embedded scenario's name \"" + s.name + "\", got " + shown_text(t.json["scenario"].get<std::string>());
  if (t.json["kernel"] != s.kernel)
    return "kernel: expected the embedded scenario's kernel \"" + s.kernel + "\", got " + shown_text(t.json["kernel"].get<std::string>());
  if (t.json.contains("fixes")) {
    std::map<std::string, bool> fixes = model::effective_fixes(s);
    for (const auto& [name, on] : fixes) {
      auto recorded = t.fixes.find(name);
      if (recorded == t.fixes.end())
        return "fixes: expected every fix of the model, \"" + name + "\" is missing";
      if (recorded->second != on)
        return "fixes." + name + ": expected " + (on ? "true" : "false") + " (kernel " + s.kernel +
               " with the embedded scenario's fixes), got " + (on ? "false" : "true");
    }
    for (const auto& [name, on] : t.fixes)
      if (!fixes.count(name)) return "fixes: expected the fixes of the model, got an unknown fix " + shown_text(name);
  }
  std::vector<std::string> names = model::program_thread_names(s);
  for (std::size_t i = 0; i < t.steps.size(); ++i)
    if (std::find(names.begin(), names.end(), t.steps[i].thread_name) == names.end())
      return "steps[" + std::to_string(i) + "].thread: expected a thread of the embedded scenario or one of its I/O completion workers, got " +
             shown_text(t.steps[i].thread_name);
  std::vector<std::string> checked = s.check;
  if (checked.empty())
    for (const model::InvariantInfo& i : model::invariant_table()) checked.push_back(i.name);
  checked.push_back(no_deadlock);
  checked.push_back(step_limit);
  if (std::find(checked.begin(), checked.end(), t.invariant) == checked.end())
    return "invariant: expected an invariant the embedded scenario checks, got " + shown_text(t.invariant);
  return "";
}

}  // namespace

std::optional<TraceFile> read_trace(const std::string& path, std::string& error) {
  std::optional<std::string> text = read_input_file(path, max_trace_bytes, "a trace", error);
  if (!text) return std::nullopt;
  std::optional<json> j = parse(path, *text, error);
  if (!j) return std::nullopt;
  text.reset();
  TraceFile f;
  if (auto t = reports::trace_from_json(path, *j, error)) f.trace = std::move(*t);
  else return std::nullopt;
  InputError bad;
  if (auto sf = parse_scenario(path + ": scenario_json", f.trace.json["scenario_json"], bad)) {
    f.scenario = std::move(*sf);
  } else {
    error = bad.message;
    return std::nullopt;
  }
  std::string why = disagreement(f);
  if (!why.empty()) {
    error = path + ": " + why;
    return std::nullopt;
  }
  return f;
}

}  // namespace fsmc::cli
