#include "measure.hpp"

#include <algorithm>
#include <vector>

namespace fsmc::bench {

Figure measure(const Settings& settings, const std::function<double(uint64_t)>& batch) {
  uint64_t n = 1;
  for (;;) {
    if (cpu_ns([&] { batch(n); }) >= settings.target_ms * 1e6) break;
    n *= 2;
  }
  std::vector<double> per_op;
  for (int r = 0; r < settings.repetitions; ++r) per_op.push_back(batch(n) / static_cast<double>(n));
  std::sort(per_op.begin(), per_op.end());
  return {per_op[per_op.size() / 2], per_op.front(), per_op.back(), n, settings.repetitions};
}

}  // namespace fsmc::bench
