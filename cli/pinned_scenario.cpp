#include "cli/pinned_scenario.hpp"

namespace fsmc::cli {

nlohmann::ordered_json pinned_scenario(const TraceInput& in) {
  using json = nlohmann::ordered_json;
  const reports::LoadedTrace& t = in.trace;
  json s = t.json["scenario_json"];
  json out = json::object();
  // The original's fields in its order, with the name, check, search and
  // expect of the pinned counterexample.
  for (const auto& [key, value] : s.items()) {
    if (key == "search" || key == "expect" || key == "check") continue;
    out[key] = value;
    if (key == "name") out[key] = value.get<std::string>() + "." + t.invariant + ".pinned";
  }
  out["description"] = "The counterexample of " + s.value("name", "?") + " on " + s.value("kernel", "?") +
                       " for " + t.invariant + ", pinned to its schedule: " + t.message;
  if (t.invariant != no_deadlock && t.invariant != step_limit) out["check"] = json::array({t.invariant});
  out["search"] = {{"schedule", t.decisions}};
  out["expect"] = {{"verdict", "violation"}, {"invariants", json::array({t.invariant})}};
  return out;
}

}  // namespace fsmc::cli
