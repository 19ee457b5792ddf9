// libFuzzer target: the trace reader on arbitrary bytes, and what `fsmc
// show` and `fsmc replay` then do with a trace it accepts: draw it as text
// and HTML, read its embedded scenario and follow its decisions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/scenario_file.hpp"
#include "cli/strict_json.hpp"
#include "model/program.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz.json";
  std::string text(reinterpret_cast<const char*>(data), size);
  // The JSON as fsmc show and replay parse it; bad syntax ends there.
  nlohmann::ordered_json j;
  try {
    std::optional<std::string> duplicate;
    j = fsmc::cli::parse_json(text, duplicate);
    if (duplicate) return 0;
  } catch (const nlohmann::ordered_json::parse_error&) {
    return 0;
  } catch (const fsmc::cli::JsonValueError&) {
    return 0;
  }
  std::string error;
  std::optional<fsmc::reports::LoadedTrace> t = fsmc::reports::trace_from_json(path, j, error);
  if (!t) {
    if (error.rfind(path + ":", 0) != 0) std::abort();  // the message names the file first
    return 0;
  }
  fsmc::reports::TraceView view{"fuzz", t->invariant, t->message, t->threads, t->steps,
                                t->json.value("state", nlohmann::ordered_json::object())};
  fsmc::reports::render_text(view);
  fsmc::reports::render_html(view);

  fsmc::cli::InputError bad;
  auto sf = fsmc::cli::parse_scenario(path + ": scenario_json", t->json["scenario_json"], bad);
  if (!sf) return 0;
  fsmc::Executor exec(fsmc::model::build_program(sf->scenario));
  fsmc::replay(exec, t->decisions, t->invariant);
  return 0;
}
