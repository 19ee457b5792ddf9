#include "search/dfs.hpp"

#include <cassert>

#include "rt/executor.hpp"

namespace fsmc {

bool Dfs::next_execution() {
  if (done_) return false;
  depth_ = 0;
  preemptions_ = 0;
  if (!started_) {
    started_ = true;
    return true;
  }
  while (!nodes_.empty() && nodes_.back().index + 1 >= nodes_.back().count) {
    pool_.resize(nodes_.back().begin);
    nodes_.pop_back();
  }
  if (nodes_.empty()) {
    done_ = true;
    return false;
  }
  ++nodes_.back().index;
  return true;
}

uint32_t Dfs::take(uint32_t fresh_begin) {
  if (depth_ < nodes_.size()) {
    pool_.resize(fresh_begin);  // options offered again are already recorded
    const Node& n = nodes_[depth_++];
    return pool_[n.begin + n.index];
  }
  nodes_.push_back({fresh_begin, static_cast<uint32_t>(pool_.size() - fresh_begin), 0});
  ++depth_;
  return pool_[fresh_begin];
}

ThreadId Dfs::pick_thread(const SchedulePoint& point) {
  auto begin = static_cast<uint32_t>(pool_.size());
  bool current_enabled = false;
  for (ThreadId t : point.enabled) current_enabled |= t == point.current;
  if (current_enabled) {
    // Continuing the running thread first finds shallow bugs with few preemptions.
    pool_.push_back(point.current);
    bool may_preempt = bound_ == unbounded || preemptions_ < static_cast<uint32_t>(bound_);
    if (may_preempt) {
      for (ThreadId t : point.enabled)
        if (t != point.current) pool_.push_back(t);
    } else if (point.enabled.size() > 1 && depth_ >= nodes_.size()) {
      cut_ = true;
    }
  } else {
    pool_.insert(pool_.end(), point.enabled.begin(), point.enabled.end());
  }
  ThreadId t = take(begin);
  if (current_enabled && t != point.current) ++preemptions_;
  return t;
}

uint32_t Dfs::pick_value(uint32_t choices) {
  auto begin = static_cast<uint32_t>(pool_.size());
  for (uint32_t v = 0; v < choices; ++v) pool_.push_back(v);
  return take(begin);
}

void Dfs::execution_done(const RunResult&) {
  // An execution that ended early leaves no deeper decisions to revisit.
  while (nodes_.size() > depth_) {
    pool_.resize(nodes_.back().begin);
    nodes_.pop_back();
  }
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
