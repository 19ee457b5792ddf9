// The interleaving in the shape kernel developers paste into commit
// messages: one column per thread, one line per step, the racing pair
// marked, nothing wider than 75 characters and no identifier split.
#include <algorithm>

#include "reports/view.hpp"
#include "sync/primitive.hpp"

namespace fsmc::reports {

namespace {

constexpr std::size_t max_width = 75;

// "W1 down_write(IOLOCK)" for a lock operation, "E6 xfs_bmap_punch_delalloc_range" otherwise.
std::string cell(const TraceStep& s) {
  std::string point = s.point.empty() ? "" : s.point + " ";
  if (lock_step(s.op).on_lock() && !s.object.empty()) return point + std::string(to_string(s.op)) + "(" + s.object + ")";
  return point + s.function;
}

// Words of `text` packed into lines of at most `width`; a word longer than
// that gets a line of its own.
std::vector<std::string> wrap_words(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// A line with `text` starting at column `at`, moved left if it would pass the width.
std::string placed(const std::string& text, std::size_t at) {
  if (at + text.size() > max_width) at = text.size() >= max_width ? 0 : max_width - text.size();
  return std::string(at, ' ') + text + "\n";
}

}  // namespace

std::string render_commit(const TraceView& v) {
  std::vector<std::string> lanes;
  for (const std::string& name : lanes_of(v))
    if (std::any_of(v.steps.begin(), v.steps.end(), [&](const TraceStep& s) { return s.thread_name == name; }))
      lanes.push_back(name);
  auto lane_of = [&](const TraceStep& s) {
    return static_cast<std::size_t>(std::find(lanes.begin(), lanes.end(), s.thread_name) - lanes.begin());
  };
  auto racing = [&](const TraceStep& s) { return std::find(v.racing.begin(), v.racing.end(), s.index) != v.racing.end(); };

  // Lane i starts at i * spacing; the spacing lets every lane's longest line fit.
  std::vector<std::size_t> longest(lanes.size(), 0);
  for (std::size_t i = 0; i < lanes.size(); ++i) longest[i] = lanes[i].size();
  for (const TraceStep& s : v.steps) {
    std::size_t& l = longest[lane_of(s)];
    l = std::max(l, cell(s).size() + 2);
  }
  std::size_t spacing = 36;
  for (std::size_t i = 1; i < lanes.size(); ++i)
    spacing = std::min(spacing, longest[i] >= max_width ? std::size_t{8} : (max_width - longest[i]) / i);
  spacing = std::max<std::size_t>(spacing, 8);

  std::string out;
  for (const std::string& line : wrap_words(v.title + ": " + v.invariant + " violated", max_width)) out += line + "\n";
  out += "\n";
  std::string header, rule;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    std::size_t at = i * spacing + 2;
    header += std::string(at > header.size() ? at - header.size() : 1, ' ') + lanes[i];
    rule += std::string(at > rule.size() ? at - rule.size() : 1, ' ') + std::string(lanes[i].size(), '-');
  }
  out += header + "\n" + rule + "\n";
  for (const TraceStep& s : v.steps) {
    std::size_t at = lane_of(s) * spacing;
    std::string mark = racing(s) ? "* " : "  ";
    std::string text = cell(s);
    if (at + 2 + text.size() <= max_width) out += std::string(at, ' ') + mark + text + "\n";
    else out += placed(mark + text, at);
    if (racing(s) && !s.detail.empty()) {
      std::size_t width = max_width > at + 4 ? max_width - at - 4 : 0;
      for (const std::string& line : wrap_words(s.detail, std::max<std::size_t>(width, 24))) out += placed("    " + line, at);
    }
  }
  out += "\n";
  for (const std::string& line : wrap_words(v.invariant + ": " + v.message, max_width)) out += line + "\n";
  if (!v.racing.empty()) out += "\n* the racing pair\n";
  if (!v.why.empty())
    for (const std::string& line : wrap_words(v.why, max_width)) out += line + "\n";
  return out;
}

}  // namespace fsmc::reports
