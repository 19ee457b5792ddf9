#include "cli/strict_json.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

// The containers the parser is inside, outermost first. A path is built from
// them only when a message needs one: building it at every bracket would cost
// the square of the depth.
struct Container {
  bool array = false;
  std::set<std::string> keys;  // objects: the keys seen so far
  std::string key;             // objects: the key whose value comes next
  std::size_t index = 0;       // arrays: the element that comes next
};

std::string path_of_next(const std::vector<Container>& stack) {
  std::string path;
  for (const Container& c : stack) {
    if (c.array) path += "[" + std::to_string(c.index) + "]";
    else path += (path.empty() ? "" : ".") + path_key(c.key);
  }
  return path;
}

constexpr std::size_t shown_length = 40;

// The token nlohmann names in its number overflow message: '1e400'.
std::string token_of(const std::string& what) {
  std::size_t open = what.find('\''), close = what.rfind('\'');
  return open == std::string::npos || close <= open ? "" : what.substr(open + 1, close - open - 1);
}

}  // namespace

std::string shown_text(const std::string& text, std::size_t longest) {
  bool cut = text.size() > longest;
  std::string shown = cut ? text.substr(0, longest) : text;
  // Cutting may split a UTF-8 sequence: drop its remains.
  while (cut && !shown.empty() && (static_cast<unsigned char>(shown.back()) & 0x80)) shown.pop_back();
  std::string out = json(shown).dump(-1, ' ', true, json::error_handler_t::replace);
  return cut ? out.substr(0, out.size() - 1) + "...\"" : out;
}

std::string path_key(const std::string& key) {
  bool word = !key.empty() && key.size() <= shown_length && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+';
  });
  return word ? key : shown_text(key);
}

json parse_json(const std::string& text, std::optional<std::string>& duplicate) {
  std::vector<Container> stack;
  auto element_done = [&] {
    if (!stack.empty() && stack.back().array) ++stack.back().index;
  };
  try {
    return json::parse(text, [&](int, json::parse_event_t event, json& parsed) {
      switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start: {
          if (stack.size() >= max_json_nesting)
            throw JsonValueError{path_of_next(stack), "expected at most " + std::to_string(max_json_nesting) +
                                                          " levels of nested arrays and objects"};
          Container c;
          c.array = event == json::parse_event_t::array_start;
          stack.push_back(std::move(c));
          break;
        }
        case json::parse_event_t::key: {
          Container& c = stack.back();
          c.key = parsed.get<std::string>();
          if (!c.keys.insert(c.key).second && !duplicate) duplicate = path_of_next(stack);
          break;
        }
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
          stack.pop_back();
          element_done();
          break;
        case json::parse_event_t::value:
          element_done();
          break;
      }
      return true;
    });
  } catch (const json::out_of_range& e) {
    // The lexer's only range error: a number beyond a double's range.
    throw JsonValueError{path_of_next(stack),
                         "expected a number of a sensible size, got " + shown_text(token_of(e.what()))};
  }
}

}  // namespace fsmc::cli
