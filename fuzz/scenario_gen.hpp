// Turns fuzzer bytes into a scenario file the contract accepts, anywhere
// within its limits: 1 to 64 pages, 1 to 16 threads, up to 64 ops a
// thread, every op with every field it takes (read from the op table, so
// a new field is fuzzed as soon as it is in the table), any kernel, fixes,
// checks and search settings, and a consistent initial file. The search is capped
// at a few executions so that one input stays cheap.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

namespace fsmc::fuzz {

inline constexpr uint32_t max_pages = 64;
inline constexpr uint32_t max_threads = 16;
inline constexpr uint32_t max_ops = 64;
inline constexpr uint64_t max_executions = 8;

nlohmann::ordered_json generate_scenario(FuzzedDataProvider& in);

}  // namespace fsmc::fuzz
