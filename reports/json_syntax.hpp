// JSON syntax errors as people want them: the file, line and column.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace fsmc::reports {

// "FILE:LINE:COL: invalid JSON: what the parser expected"
std::string json_syntax_error(const std::string& path, const std::string& text, const nlohmann::json::parse_error& e);

}  // namespace fsmc::reports
