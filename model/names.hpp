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

// The row of a table whose rows have a `name`, or nullptr.
template <class Row>
const Row* row_named(std::span<const Row> table, std::string_view name) {
  for (const Row& row : table)
    if (name == row.name) return &row;
  return nullptr;
}

}  // namespace fsmc::model
