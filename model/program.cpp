// TEMPORARY stub while the model is written (issue 3): no threads, no state.
#include "model/scenario.hpp"

namespace fsmc::model {
Program build_program(const Scenario&) {
  return [](Builder&) {};
}
}  // namespace fsmc::model
