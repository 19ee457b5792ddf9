// The terminal view of a trace: one column per thread, one row per step,
// cells wrapped (never cut) so no detail of a step is lost.
#include <algorithm>

#include "reports/view.hpp"

namespace fsmc::reports {

std::vector<std::string> lanes_of(const TraceView& v) {
  std::vector<std::string> names = v.threads;
  for (const TraceStep& s : v.steps)
    if (std::find(names.begin(), names.end(), s.thread_name) == names.end()) names.push_back(s.thread_name);
  return names;
}

std::string step_summary(const TraceStep& s) {
  std::string text = s.function + (s.point.empty() ? "" : " " + s.point);
  if (!s.detail.empty()) text += ": " + s.detail;
  else if (!s.object.empty()) text += ": " + std::string(to_string(s.op)) + " " + s.object;
  return text;
}

namespace {

// Breaks `text` into lines of at most `width` characters, at spaces where it can.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + width);
    if (end < text.size()) {
      std::size_t space = text.rfind(' ', end);
      if (space != std::string::npos && space > at) end = space;
    }
    lines.push_back(text.substr(at, end - at));
    at = end;
    while (at < text.size() && text[at] == ' ') ++at;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

std::string pad(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

// Padding the last column would leave trailing blanks on every line.
std::string trimmed(std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string state_text(const nlohmann::ordered_json& state) {
  std::string out;
  for (const auto& [key, value] : state.items()) {
    out += "  " + key + ":";
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        out += " " + std::to_string(i) + "=" + (value[i].is_string() ? value[i].get<std::string>() : value[i].dump());
    } else {
      out += " " + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string render_text(const TraceView& v, std::size_t width) {
  std::vector<std::string> lanes = lanes_of(v);
  if (width == 0) width = std::clamp<std::size_t>(lanes.empty() ? 40 : 112 / lanes.size() - 3, 24, 40);
  const std::string gutter = "       ";

  std::string out = v.title + ": " + v.invariant + " violated at step " +
                    (v.steps.empty() ? std::string("?") : std::to_string(v.steps.back().index)) + "\n\n";
  std::string header = gutter, rule = gutter;
  for (const std::string& lane : lanes) {
    header += "| " + pad(lane, width) + " ";
    rule += "|" + std::string(width + 2, '-');
  }
  out += trimmed(header) + trimmed(rule);

  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    const TraceStep& s = v.steps[i];
    bool violating = i + 1 == v.steps.size();
    std::vector<std::string> lines = wrap(step_summary(s), width);
    for (std::size_t line = 0; line < lines.size(); ++line) {
      std::string number = line == 0 ? std::to_string(s.index) : "";
      std::string row = (violating && line == 0 ? ">> " : "   ") +
                        std::string(4 - std::min<std::size_t>(4, number.size()), ' ') + number;
      for (const std::string& lane : lanes) row += "| " + pad(lane == s.thread_name ? lines[line] : "", width) + " ";
      out += trimmed(row);
    }
    if (out.size() > max_view_bytes) throw ViewTooLarge{};
  }
  out += "\n" + v.invariant + ": " + v.message + "\n";
  if (!v.state.empty()) out += "state at the violation:\n" + state_text(v.state);
  return out;
}

}  // namespace fsmc::reports
