// Suggestions for mistyped names: kernels, ops, invariants, fields, commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fsmc::cli {

// The closest of `names` to `word` by edit distance, if it is close enough to
// be a typo rather than a different word.
std::optional<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& names);

}  // namespace fsmc::cli
