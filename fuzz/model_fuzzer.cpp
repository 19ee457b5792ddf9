// libFuzzer target: a valid scenario made from the bytes (scenario_gen),
// searched for a few executions under the sanitizers; every counterexample
// found is written as a trace, read back and replayed as `fsmc replay`
// would, and must reproduce at the same step.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/scenario_file.hpp"
#include "cli/strict_json.hpp"
#include "fuzz/scenario_gen.hpp"
#include "model/program.hpp"
#include "reports/trace_json.hpp"

namespace {

[[noreturn]] void fail(const std::string& what, const nlohmann::ordered_json& scenario) {
  std::fprintf(stderr, "model_fuzzer: %s\nscenario: %s\n", what.c_str(), scenario.dump().c_str());
  std::abort();
}

void check_replays(const fsmc::cli::ScenarioFile& sf, const fsmc::Counterexample& c) {
  fsmc::reports::TraceInfo info;
  info.scenario = sf.scenario.name;
  info.scenario_file = sf.path;
  info.scenario_json = sf.json;
  info.kernel = sf.scenario.kernel;
  info.fixes = fsmc::model::effective_fixes(sf.scenario);
  std::string text = fsmc::reports::trace_to_json(info, c).dump(2);

  std::optional<std::string> duplicate;
  nlohmann::ordered_json j = fsmc::cli::parse_json(text, duplicate);  // as fsmc replay reads it
  if (duplicate) fail("a trace fsmc wrote has a field twice: " + *duplicate, sf.json);
  std::string error;
  auto t = fsmc::reports::trace_from_json("trace.json", j, error);
  if (!t) fail("a trace fsmc wrote does not read back: " + error, sf.json);
  fsmc::cli::InputError bad;
  auto again = fsmc::cli::parse_scenario("trace.json: scenario_json", t->json["scenario_json"], bad);
  if (!again) fail("a trace's embedded scenario does not read back: " + bad.message, sf.json);
  fsmc::Executor exec(fsmc::model::build_program(again->scenario));
  fsmc::ReplayOutcome r = fsmc::replay(exec, t->decisions, t->invariant);
  if (!r.reproduced || r.run.trace.size() != t->steps.size())
    fail("the counterexample of " + c.violation.invariant + " does not replay (" +
             (r.diverged ? "diverged" : r.reproduced ? "different length" : "not violated") + ")",
         sf.json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  bool keep_going = in.ConsumeBool();  // as `fsmc check` searches
  nlohmann::ordered_json json = fsmc::fuzz::generate_scenario(in);

  fsmc::cli::InputError error;
  auto sf = fsmc::cli::parse_scenario("fuzz.json", json, error);
  if (!sf) fail("the reader rejects a scenario within the contract: " + error.message, json);

  fsmc::Executor exec(fsmc::model::build_program(sf->scenario));
  fsmc::SearchConfig config = sf->search;
  config.keep_going = keep_going;
  fsmc::SearchResult result = fsmc::search(exec, config);
  if (result.stats.executions > fsmc::fuzz::max_executions) fail("the search ran past max_executions", json);
  for (const fsmc::Counterexample& c : result.counterexamples) check_replays(*sf, c);
  return 0;
}
