// `fsmc show --as-scenario`: a scenario that pins a counterexample — the
// trace's scenario searched along the trace's decisions only, expecting its
// violation — for a regression corpus.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/trace_input.hpp"

namespace fsmc::cli {

nlohmann::ordered_json pinned_scenario(const TraceInput& in);

}  // namespace fsmc::cli
