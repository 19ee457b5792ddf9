// Building the model program of a scenario (see scenario.hpp), with a hook
// for tests that want to look at the final state of each execution.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/inode.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

using FinalStateHook = std::function<void(const Inode&)>;
Program build_program(const Scenario& scenario, FinalStateHook at_end);

// The names of the threads the program starts: the scenario's threads, then
// its I/O completion workers ("end_io P").
std::vector<std::string> program_thread_names(const Scenario& scenario);

}  // namespace fsmc::model
