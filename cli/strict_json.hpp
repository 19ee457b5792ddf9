// JSON parsing for the files fsmc reads (scenarios and traces). Beyond the
// syntax it catches a key given twice in one object, which nlohmann (like
// most parsers) would silently resolve to one of the two values: a
// copy-pasted "page" must not quietly win over the other. It also refuses
// containers nested deeper than any fsmc file is, and numbers too large for a
// double, naming the JSON path of either. Time and memory are linear in the
// text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace fsmc::cli {

// Deeper than any scenario (5 levels) or trace (6) could need.
inline constexpr std::size_t max_json_nesting = 32;

// Thrown for a container nested too deeply or a number out of range.
struct JsonValueError {
  std::string path;     // JSON path of the value ("" for the whole document)
  std::string message;  // what was expected
};

// As nlohmann::ordered_json::parse (throws its parse_error on bad syntax, and
// JsonValueError as above); `duplicate` receives the JSON path of the first
// key seen twice.
nlohmann::ordered_json parse_json(const std::string& text, std::optional<std::string>& duplicate);

// A key as it may appear in a JSON path of a message: plain when it is a
// simple word, else quoted with every control and non-ASCII character
// escaped, and cut short when long.
std::string path_key(const std::string& key);

// Text from a file, quoted for a one-line message: control and non-ASCII
// characters escaped, cut short past `longest` bytes.
std::string shown_text(const std::string& text, std::size_t longest = 40);

}  // namespace fsmc::cli
