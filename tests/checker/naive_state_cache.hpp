// A visited-state cache over any strategy, kept for the tests only: over
// plain DFS it is sound; over DPOR it is not (a state first met under DPOR
// was explored only partly — its sleep set, and the backtrack points races
// after it would add on another path), and the test "caching: the
// differential test catches caching naively combined with dpor" pins that
// the random corpus notices. The search's stateful mode is SleepCache.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "rt/executor.hpp"
#include "search/strategy.hpp"

namespace fsmc::testing {

class StateCache : public Strategy {
 public:
  explicit StateCache(std::unique_ptr<Strategy> inner) : inner_(std::move(inner)) {}

  bool next_execution() override;
  ThreadId pick_thread(const SchedulePoint& point) override;
  uint32_t pick_value(uint32_t choices) override;
  void execution_done(const RunResult& result) override;
  bool exhaustive() const override { return inner_->exhaustive(); }
  bool wants_state_keys() const override { return true; }

  uint64_t states() const { return visited_.size(); }
  uint64_t hits() const { return hits_; }

 private:
  // Every execution of a depth-first search first replays part of the last
  // one; states on that shared prefix are in the cache and must not stop it.
  // The first decision that differs from the last execution leaves it.
  void follow(uint32_t decision);

  std::unique_ptr<Strategy> inner_;
  std::unordered_set<uint64_t> visited_;
  std::vector<uint32_t> last_path_, path_;
  bool on_last_path_ = false;
  uint64_t hits_ = 0;
};


inline bool StateCache::next_execution() {
  path_.clear();
  on_last_path_ = true;
  return inner_->next_execution();
}

inline void StateCache::follow(uint32_t decision) {
  std::size_t i = path_.size();
  if (on_last_path_ && (i >= last_path_.size() || last_path_[i] != decision)) on_last_path_ = false;
  path_.push_back(decision);
}

inline ThreadId StateCache::pick_thread(const SchedulePoint& point) {
  if (on_last_path_ && path_.size() >= last_path_.size()) on_last_path_ = false;
  if (!on_last_path_ && !visited_.insert(point.executor->state_key()).second) {
    ++hits_;
    return no_thread;
  }
  ThreadId t = inner_->pick_thread(point);
  if (t != no_thread) follow(t);
  return t;
}

inline uint32_t StateCache::pick_value(uint32_t choices) {
  uint32_t v = inner_->pick_value(choices);
  follow(v);
  return v;
}

inline void StateCache::execution_done(const RunResult& result) {
  inner_->execution_done(result);
  last_path_.swap(path_);
}

}  // namespace fsmc::testing
