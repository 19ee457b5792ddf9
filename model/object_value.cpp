#include "model/object_value.hpp"

#include <charconv>

namespace fsmc::model {

namespace {

const StateValue* field(const StateDump& state, const std::string& key) {
  for (const StateField& f : state)
    if (f.key == key) return &f.value;
  return nullptr;
}

std::string text(const StateValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

// "page 3" -> the entry 3 of the dump's array `key`.
std::optional<std::string> slot(const StateDump& state, const std::string& key, const std::string& index) {
  uint32_t page = 0;
  auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), page);
  if (ec != std::errc() || end != index.data() + index.size()) return std::nullopt;
  const StateValue* v = field(state, key);
  const auto* list = v ? std::get_if<std::vector<std::string>>(v) : nullptr;
  if (!list || page >= list->size()) return std::nullopt;
  return (*list)[page];
}

}  // namespace

// The names are those program.cpp gives its objects; the dump is program.cpp's dump().
std::optional<std::string> object_value(const StateDump& state, const std::string& object) {
  if (object.rfind("page ", 0) == 0) return slot(state, "cache", object.substr(5));
  if (object.rfind("extent ", 0) == 0) return slot(state, "extents", object.substr(7));
  const char* key = object == "i_size" ? "size" : object == "i_delayed_blks" ? "reserved" : nullptr;
  if (!key) return std::nullopt;
  const StateValue* v = field(state, key);
  if (!v) return std::nullopt;
  return text(*v);
}

}  // namespace fsmc::model
