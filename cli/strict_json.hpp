// JSON parsing for scenario files that also catches a key given twice in one
// object, which nlohmann (like most parsers) would silently resolve to one of
// the two values: a copy-pasted "page" must not quietly win over the other.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace fsmc::cli {

// As nlohmann::ordered_json::parse (throws its parse_error on bad syntax);
// `duplicate` receives the JSON path of the first key seen twice.
nlohmann::ordered_json parse_json(const std::string& text, std::optional<std::string>& duplicate);

}  // namespace fsmc::cli
