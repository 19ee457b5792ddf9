// The shard report: what `fsmc run --shard I/N` found in its tasks, written
// as NAME.shard-I-of-N.json for `fsmc merge`, which reads every shard's and
// combines them into the whole search's answer. A shard whose tasks hold a
// violation ran the serial search for it (search/parallel.hpp), so its
// report holds the serial search's counterexample and counts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/scenario_file.hpp"
#include "cli/search_scenario.hpp"

namespace fsmc::cli {

inline constexpr int shard_report_version = 1;

// The settings a shard ran with that decide its answer; every shard of one
// search must have the same (caps and --jobs may differ).
nlohmann::ordered_json shard_settings(const ScenarioFile& sf);

std::string shard_report_name(const ScenarioFile& sf, uint32_t shard, uint32_t shards);

nlohmann::ordered_json shard_report(const ScenarioFile& sf, const SearchResult& result, const TaskSelection& shard,
                                    const std::string& version);

// The shards' reports read back, checked to belong together and combined.
struct MergedShards {
  ScenarioFile scenario;  // as the shards ran it (flags applied)
  SearchResult result;    // the whole search's, counterexamples not yet traced
};

// nullopt, with one line in `error` naming the report and what was
// expected, when a report is unreadable or the reports do not belong together.
std::optional<MergedShards> read_shard_reports(const std::vector<std::string>& paths, const std::string& version,
                                               std::string& error);

}  // namespace fsmc::cli
