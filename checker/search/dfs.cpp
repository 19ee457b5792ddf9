#include "search/dfs.hpp"

#include "rt/executor.hpp"

namespace fsmc {

bool Dfs::next_execution() {
  if (done_) return false;
  path_.restart();
  preemptions_ = 0;
  if (!started_) {
    started_ = true;
    return true;
  }
  done_ = !path_.advance();
  return !done_;
}

ThreadId Dfs::pick_thread(const SchedulePoint& point) {
  bool current_enabled = false;
  ThreadMask enabled = 0;
  for (ThreadId t : point.enabled) {
    current_enabled |= t == point.current;
    enabled |= bit(t);
  }
  ThreadId t;
  if (path_.replaying()) {
    t = path_.replay_next().chosen;
  } else if (current_enabled) {
    // Continuing the running thread first finds shallow bugs with few preemptions.
    bool may_preempt = bound_ == unbounded || preemptions_ < static_cast<uint32_t>(bound_);
    if (!may_preempt && point.enabled.size() > 1) cut_ = true;
    t = point.current;
    path_.push(Path<>::thread_branch(may_preempt ? enabled : bit(t), t));
  } else {
    t = lowest(enabled);
    path_.push(Path<>::thread_branch(enabled, t));
  }
  if (current_enabled && t != point.current) ++preemptions_;
  return t;
}

uint32_t Dfs::pick_value(uint32_t choices) {
  if (path_.replaying()) return path_.replay_next().chosen;
  return path_.push(Path<>::value_branch(choices)).chosen;
}

bool IterativeBounding::next_execution() {
  for (;;) {
    if (round_.next_execution()) return true;
    if (!round_.cut()) {
      exhaustive_ = true;
      return false;
    }
    if (bound_ >= max_bound_) return false;
    round_ = Dfs(++bound_);
  }
}

}  // namespace fsmc
