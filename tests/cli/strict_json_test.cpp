// Scenario JSON: a key given twice is found, and named by its full path.
#include <doctest/doctest.h>

#include "cli/strict_json.hpp"

using fsmc::cli::parse_json;

namespace {

std::optional<std::string> duplicate_in(const std::string& text) {
  std::optional<std::string> duplicate;
  (void)parse_json(text, duplicate);
  return duplicate;
}

}  // namespace

TEST_CASE("a key given twice in one object is named by its path, the same key in different objects is fine") {
  CHECK(duplicate_in(R"({"x": 1, "x": 2})") == "x");
  CHECK(duplicate_in(R"({"a": [1, {"b": 2}, [3, {"c": 1, "c": 2}]]})") == "a[2][1].c");
  CHECK(duplicate_in(R"({"file": {"size": 2}, "threads": [{"ops": [{}, {"page": 1, "op": "x", "page": 2}]}]})") ==
        "threads[0].ops[1].page");
  CHECK(duplicate_in(R"({"t": [{"a": 1}, {"a": 2}], "u": {"a": 3}})") == std::nullopt);
  CHECK(duplicate_in(R"({"a": {"x": 1}, "b": {"x": 1, "y": {"x": 2}}})") == std::nullopt);
  // The first of several duplicates is the one reported.
  CHECK(duplicate_in(R"({"a": 1, "b": 1, "a": 2, "b": 2})") == "a");
}

TEST_CASE("bad syntax still throws the parser's error, for the caller to place by line and column") {
  std::optional<std::string> duplicate;
  CHECK_THROWS_AS((void)parse_json("{\"a\": }", duplicate), nlohmann::json::parse_error);
}
