#include "search/pct.hpp"

#include <algorithm>

#include "rt/executor.hpp"

namespace fsmc {

bool Pct::next_execution() {
  if (left_ == 0) return false;
  --left_;
  fresh_ = true;
  return true;
}

ThreadId Pct::pick_thread(const SchedulePoint& point) {
  if (fresh_) {
    fresh_ = false;
    // Priorities depth .. depth+n-1 in random order; change points lower a
    // thread to 1 .. depth-1, below every initial priority.
    priority_.resize(point.threads);
    for (uint32_t i = 0; i < point.threads; ++i) priority_[i] = depth_ + i;
    for (uint32_t i = point.threads; i > 1; --i) std::swap(priority_[i - 1], priority_[rng_.below(i)]);
    change_points_.clear();
    for (uint32_t j = 1; j < depth_; ++j) change_points_.push_back(1 + rng_.below(max_steps_));
  }
  if (point.current != no_thread)
    for (uint32_t j = 0; j < change_points_.size(); ++j)
      if (change_points_[j] == point.step) priority_[point.current] = depth_ - 1 - j;
  ThreadId best = point.enabled[0];
  for (ThreadId t : point.enabled)
    if (priority_[t] > priority_[best]) best = t;
  return best;
}

void Pct::execution_done(const RunResult& result) { max_steps_ = std::max(max_steps_, result.steps); }

}  // namespace fsmc
