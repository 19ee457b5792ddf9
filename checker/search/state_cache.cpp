#include "search/state_cache.hpp"

#include "rt/executor.hpp"

namespace fsmc {

bool StateCache::next_execution() {
  path_.clear();
  on_last_path_ = true;
  return inner_->next_execution();
}

void StateCache::follow(uint32_t decision) {
  std::size_t i = path_.size();
  if (on_last_path_ && (i >= last_path_.size() || last_path_[i] != decision)) on_last_path_ = false;
  path_.push_back(decision);
}

ThreadId StateCache::pick_thread(const SchedulePoint& point) {
  if (on_last_path_ && path_.size() >= last_path_.size()) on_last_path_ = false;
  if (!on_last_path_ && !visited_.insert(point.executor->state_key()).second) {
    ++hits_;
    return no_thread;
  }
  ThreadId t = inner_->pick_thread(point);
  if (t != no_thread) follow(t);
  return t;
}

uint32_t StateCache::pick_value(uint32_t choices) {
  uint32_t v = inner_->pick_value(choices);
  follow(v);
  return v;
}

void StateCache::execution_done(const RunResult& result) {
  inner_->execution_done(result);
  last_path_.swap(path_);
}

}  // namespace fsmc
