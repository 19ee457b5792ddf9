#include "cli/did_you_mean.hpp"

#include <algorithm>
#include <cstdint>

namespace fsmc::cli {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t k = 0; k <= b.size(); ++k) prev[k] = k;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t k = 1; k <= b.size(); ++k)
      cur[k] = std::min({prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + (a[i - 1] == b[k - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::optional<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = SIZE_MAX;
  for (const std::string& name : names) {
    std::size_t d = edit_distance(word, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  // Short names tolerate two edits; longer ones about a third of their length.
  if (best && best_distance <= std::max<std::size_t>(2, best->size() / 3)) return best;
  return std::nullopt;
}

}  // namespace fsmc::cli
