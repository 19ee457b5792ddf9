// A name table: the one place that spells each value of an enum, for
// to_string and parse alike (no cast by position in a list).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace fsmc::model {

template <class E>
struct Name {
  E value;
  const char* name;
};

template <class E>
constexpr const char* name_in(std::span<const Name<E>> table, E value) {
  for (const Name<E>& n : table)
    if (n.value == value) return n.name;
  return "?";
}

template <class E>
constexpr std::optional<E> parse_in(std::span<const Name<E>> table, std::string_view text) {
  for (const Name<E>& n : table)
    if (text == n.name) return n.value;
  return std::nullopt;
}

}  // namespace fsmc::model
