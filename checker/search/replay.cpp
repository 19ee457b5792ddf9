#include "search/replay.hpp"

#include <algorithm>

#include "rt/executor.hpp"

namespace fsmc {

ThreadId Replay::pick_thread(const SchedulePoint& point) {
  if (find_cycle_ && !diverged_ && point.executor->has_state_hash()) {
    uint64_t key = point.executor->state_key();
    if (next_ == decisions_.size())
      for (auto [earlier, step] : keys_)
        if (earlier == key) {
          cycle_from_ = step;
          break;
        }
    keys_.push_back({key, point.step});
  }
  if (diverged_ || next_ == decisions_.size()) return no_thread;  // the recorded run ends here
  ThreadId t = decisions_[next_++];
  if (std::find(point.enabled.begin(), point.enabled.end(), t) == point.enabled.end()) {
    diverged_ = true;
    return no_thread;
  }
  return t;
}

uint32_t Replay::pick_value(uint32_t choices) {
  if (diverged_ || next_ == decisions_.size() || decisions_[next_] >= choices) {
    diverged_ = true;
    return 0;
  }
  return decisions_[next_++];
}

}  // namespace fsmc
