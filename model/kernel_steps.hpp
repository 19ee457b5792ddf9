// The step ids the model's steps carry in Op::point (W1, E5, M12, ...), as
// docs/kernel-steps.md lists them: what a scenario's `reach` goals may name
// and what coverage reports count against.
#pragma once

#include <string>
#include <vector>

namespace fsmc::model {

// Every id some model step performs, in the order of docs/kernel-steps.md.
const std::vector<std::string>& kernel_steps();
bool is_kernel_step(const std::string& id);

}  // namespace fsmc::model
