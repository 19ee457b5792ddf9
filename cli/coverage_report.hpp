// What a search reached, for the summaries of fsmc run and fsmc check: the
// model's step ids performed and not, and each reach goal met or not.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/search.hpp"

namespace fsmc::cli {

// "M12 after E5 before E6"
std::string goal_text(const ReachGoal& goal);

struct StepCoverage {
  std::vector<std::string> reached;      // in the order of model::kernel_steps()
  std::vector<std::string> not_reached;  // the model's ids no execution performed
};
StepCoverage step_coverage(const SearchResult& r);

// The goals no execution met, as goal_text.
std::vector<std::string> goals_missed(const std::vector<ReachGoal>& goals, const SearchResult& r);

// Indented lines for the text summary.
std::string coverage_text(const std::vector<ReachGoal>& goals, const SearchResult& r);
// Adds steps_reached, steps_not_reached and (with goals) reach to a JSON summary.
void add_coverage_json(const std::vector<ReachGoal>& goals, const SearchResult& r, nlohmann::ordered_json& j);
// The same as JUnit testcase properties.
std::vector<std::pair<std::string, std::string>> coverage_properties(const std::vector<ReachGoal>& goals,
                                                                     const SearchResult& r);

}  // namespace fsmc::cli
