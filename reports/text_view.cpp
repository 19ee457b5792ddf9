// The terminal view of a trace: one column per thread, one row per step,
// as wide as the line allows; cells wrap between identifiers, never inside
// one, so no detail of a step is lost unless one identifier alone is wider
// than its column.
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

// Characters on a terminal: UTF-8 continuation bytes take no column.
std::size_t columns(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; });
}

// The first `width - 1` characters of a token and an ellipsis.
std::string cut(const std::string& token, std::size_t width) {
  std::size_t keep = 0, shown = 0;
  while (keep < token.size() && shown + 1 < width) {
    ++keep;
    while (keep < token.size() && (static_cast<unsigned char>(token[keep]) & 0xc0) == 0x80) ++keep;
    ++shown;
  }
  return token.substr(0, keep) + "\u2026";
}

// A line may break after a space or after punctuation that ends a part of a
// detail; never inside an identifier (letters, digits, `_`, `.`, `-`).
bool breaks_after(char c) { return c == ' ' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '/'; }

// Breaks `text` into lines of at most `width` characters at those points; a
// token wider than a whole line is cut with an ellipsis.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> tokens;  // each with the punctuation it ends in; spaces are dropped
  std::string token;
  for (char c : text) {
    if (c != ' ') token += c;
    if (breaks_after(c) && !token.empty()) tokens.push_back(std::move(token)), token.clear();
  }
  if (!token.empty()) tokens.push_back(token);
  std::vector<std::string> lines;
  std::string line;
  bool space_before = false;  // the token was preceded by a space in the text
  std::size_t at = 0;
  for (const std::string& t : tokens) {
    at = text.find(t, at);
    space_before = at > 0 && text[at - 1] == ' ';
    at += t.size();
    std::string piece = columns(t) > width ? cut(t, width) : t;
    std::string joined = line + (line.empty() || !space_before ? "" : " ") + piece;
    if (!line.empty() && columns(joined) > width) {
      lines.push_back(line);
      joined = piece;
    }
    line = joined;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string pad(const std::string& text, std::size_t width) {
  std::size_t shown = columns(text);
  return text + std::string(width > shown ? width - shown : 0, ' ');
}

// The gutter holds the step number and the violation mark.
constexpr std::size_t gutter_width = 7;
// Narrower than this a column holds too little to read; the table then
// passes the line width rather than show nothing.
constexpr std::size_t narrowest_column = 12;

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

std::string render_text(const TraceView& v, std::size_t line_width) {
  std::vector<std::string> lanes = lanes_of(v);
  std::size_t lanes_width = line_width > gutter_width ? line_width - gutter_width : 0;
  std::size_t per_lane = lanes_width / std::max<std::size_t>(lanes.size(), 1);  // "| " cell " "
  std::size_t width = per_lane > narrowest_column + 3 ? per_lane - 3 : narrowest_column;
  const std::string gutter(gutter_width, ' ');

  std::string out = v.title + ": " + v.invariant + " violated at step " +
                    (v.steps.empty() ? std::string("?") : std::to_string(v.steps.back().index)) + "\n\n";
  std::string header = gutter, rule = gutter;
  for (const std::string& lane : lanes) {
    header += "| " + pad(columns(lane) > width ? cut(lane, width) : lane, width) + " ";
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
