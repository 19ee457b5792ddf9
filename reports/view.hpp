// Views of a trace for people: a terminal table with one column per thread
// (text_view.cpp) and a self-contained HTML sequence chart (html_chart.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rt/trace.hpp"

namespace fsmc::reports {

struct TraceView {
  std::string title;                 // scenario [kernel]
  std::string invariant;
  std::string message;
  std::vector<std::string> threads;  // every model thread, in order; empty: those that took a step
  std::vector<TraceStep> steps;      // the last one is the violating step
  nlohmann::ordered_json state;      // at the violation
  std::vector<uint32_t> racing;      // step indices of the racing pair, if known
  std::vector<uint32_t> minimal;     // step indices of the minimal view; empty: not known
  std::string why;                   // the lock that would have ordered the racing pair, in words
  std::optional<uint32_t> no_return;  // the step after which every continuation violates, if known
  // When known: the state at the start, then after each step (by step index).
  std::vector<nlohmann::ordered_json> states;
  // The step that broke the invariant, if known: the racing pair's later
  // step (a punch, a writeback cleaning a page over a hole), which may come
  // before the step that saw it broken. The chart marks it red.
  std::optional<uint32_t> broken_at;
};

// The lanes of the view: `threads`, or else the threads seen in the steps.
std::vector<std::string> lanes_of(const TraceView& v);
// What a step did, in a few words: "function point: detail".
std::string step_summary(const TraceStep& s);

// A view larger than this is not drawn (a trace can be made to have many
// long steps); the renderers throw ViewTooLarge instead of growing past it.
inline constexpr std::size_t max_view_bytes = 64 << 20;
struct ViewTooLarge {};

// Lines at most `line_width` characters wide (unless so many threads share
// them that a column would be too narrow to read).
std::string render_text(const TraceView& v, std::size_t line_width = 80);
std::string render_html(const TraceView& v);
// The interleaving for a commit message: a column per thread that moves, one
// line per step, at most 75 characters wide, the racing pair marked `*`.
std::string render_commit(const TraceView& v);

}  // namespace fsmc::reports
