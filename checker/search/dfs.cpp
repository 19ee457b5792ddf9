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
  departs_at_ = path_.size() - 1;
  return !done_;
}

void Dfs::resumed_at(std::size_t depth) {
  path_.resume_at(depth);
  preemptions_ = path_[depth].extra;
}

ThreadId Dfs::pick_thread(const SchedulePoint& point) {
  bool current_enabled = false;
  ThreadMask enabled = 0;
  ThreadMask background = 0;  // enabled background threads
  for (ThreadId t : point.enabled) {
    current_enabled |= t == point.current;
    enabled |= bit(t);
    if (point.executor && point.executor->background(t)) background |= bit(t);
  }
  ThreadId t;
  if (path_.replaying()) {
    t = path_.replay_next().chosen;
  } else if (current_enabled) {
    // Continuing the running thread first finds shallow bugs with few preemptions.
    // A bounded round spends no preemption on a background thread: it runs
    // when the others block or finish, or, if it was running, goes on. That
    // keeps the shallow rounds' cost from growing with the background
    // threads (I/O completion workers); the cut leaves them to the proof.
    bool may_preempt = bound_ == unbounded || preemptions_ < static_cast<uint32_t>(bound_);
    ThreadMask options = !may_preempt ? bit(point.current)
                         : bound_ == unbounded ? enabled
                                               : (enabled & ~background) | bit(point.current);
    if (options != enabled) cut_ = true;
    t = point.current;
    path_.push(Path<uint32_t>::thread_branch(options, t)).extra = preemptions_;
  } else {
    t = lowest(enabled);
    path_.push(Path<uint32_t>::thread_branch(enabled, t)).extra = preemptions_;
  }
  if (point.executor) worth_saving_ = path_.returns_to(path_.depth() - 1, point.executor->pending(t));
  if (current_enabled && t != point.current) ++preemptions_;
  return t;
}

uint32_t Dfs::pick_value(uint32_t choices) {
  if (path_.replaying()) return path_.replay_next().chosen;
  Path<uint32_t>::Branch& b = path_.push(Path<uint32_t>::value_branch(choices));
  b.extra = preemptions_;
  return b.chosen;
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
