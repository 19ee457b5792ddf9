// The value of one of the model's engine objects ("page 1", "extent 1",
// "i_size", ...) read from a state dump, for explanations that say what a
// step changed.
#pragma once

#include <optional>
#include <string>

#include "checker.hpp"

namespace fsmc::model {

std::optional<std::string> object_value(const StateDump& state, const std::string& object);

}  // namespace fsmc::model
