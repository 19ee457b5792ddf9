// Building the model program of a scenario (see scenario.hpp), with a hook
// for tests that want to look at the final state of each execution.
#pragma once

#include <functional>

#include "model/inode.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

using FinalStateHook = std::function<void(const Inode&)>;
Program build_program(const Scenario& scenario, FinalStateHook at_end);

}  // namespace fsmc::model
