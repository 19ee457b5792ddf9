// Views of a trace for people: a terminal table with one column per thread,
// and a self-contained HTML sequence chart.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rt/trace.hpp"

namespace fsmc::reports {

struct TraceView {
  std::string title;    // scenario [kernel]
  std::string invariant;
  std::string message;
  std::vector<TraceStep> steps;  // the last one is the violating step
  nlohmann::ordered_json state;  // at the violation
};

std::string render_text(const TraceView& v, std::size_t column_width = 44);
std::string render_html(const TraceView& v);

}  // namespace fsmc::reports
