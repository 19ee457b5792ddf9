// The model's input rules: what a Scenario must be for build_program to
// model it (docs/scenario-format.md). Each error names the scenario file's
// JSON path of the value at fault and what was expected there.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace fsmc::model {

// The scenario contract's limits (file.pages has max_pages, in inode.hpp).
inline constexpr std::size_t scenario_max_threads = 16;
inline constexpr std::size_t thread_max_ops = 64;

struct ValidationError {
  std::string path;     // "threads[1].ops[0].page"; "" for the scenario as a whole
  std::string message;  // "expected a page below file.pages (4), got 7"
};

// Every error, in the order of the scenario file's fields; none: build_program
// may be given the scenario. Ops are checked only against a valid file.
std::vector<ValidationError> validate(const Scenario& scenario);

}  // namespace fsmc::model
