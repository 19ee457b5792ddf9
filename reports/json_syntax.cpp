#include "reports/json_syntax.hpp"

namespace fsmc::reports {

std::string json_syntax_error(const std::string& path, const std::string& text, const nlohmann::json::parse_error& e) {
  // nlohmann reports a byte offset (one past the offending byte).
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string what = e.what();
  std::size_t colon = what.rfind(": ");
  if (colon != std::string::npos) what = what.substr(colon + 2);
  // The parser quotes what it last read, which may be anything from the file:
  // keep the message on one line of plain characters, and short.
  for (char& c : what)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  if (what.size() > 160) what = what.substr(0, 160) + "...";
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid JSON: " + what;
}

}  // namespace fsmc::reports
