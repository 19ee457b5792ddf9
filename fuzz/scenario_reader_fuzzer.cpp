// libFuzzer target: the scenario reader on arbitrary bytes, as `fsmc run`
// and `fsmc check` read a file. Any input must give a scenario or one
// error message naming the file; never a crash, an uncaught exception or a
// sanitizer report.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/scenario_file.hpp"
#include "model/program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz.json";
  std::string text(reinterpret_cast<const char*>(data), size);
  fsmc::cli::InputError error;
  std::optional<fsmc::cli::ScenarioFile> sf = fsmc::cli::parse_scenario(path, text, error);
  if (!sf) {
    if (error.message.rfind(path + ":", 0) != 0) std::abort();  // the message names the file first
    return 0;
  }
  // A scenario the reader accepts is one the model can be built from.
  fsmc::Executor exec(fsmc::model::build_program(sf->scenario));
  return 0;
}
