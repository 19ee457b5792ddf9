#include "cli/strict_json.hpp"

#include <set>
#include <vector>

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

// The containers the parser is inside, outermost first, to name a path.
struct Container {
  bool array = false;
  std::string path;
  std::set<std::string> keys;  // objects: the keys seen so far
  std::string key;             // objects: the key whose value comes next
  std::size_t index = 0;       // arrays: the element that comes next
};

std::string path_of_next(const std::vector<Container>& stack) {
  if (stack.empty()) return "";
  const Container& c = stack.back();
  if (c.array) return c.path + "[" + std::to_string(c.index) + "]";
  return c.path.empty() ? c.key : c.path + "." + c.key;
}

}  // namespace

json parse_json(const std::string& text, std::optional<std::string>& duplicate) {
  std::vector<Container> stack;
  auto element_done = [&] {
    if (!stack.empty() && stack.back().array) ++stack.back().index;
  };
  return json::parse(text, [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        Container c;
        c.array = event == json::parse_event_t::array_start;
        c.path = path_of_next(stack);
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
}

}  // namespace fsmc::cli
