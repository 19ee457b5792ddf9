#include "search/sleep_cache.hpp"

#include <bit>
#include <cassert>

#include "rt/executor.hpp"

namespace fsmc {

namespace {
ThreadMask bit(ThreadId t) { return ThreadMask{1} << t; }
ThreadId lowest(ThreadMask mask) { return static_cast<ThreadId>(std::countr_zero(mask)); }
}  // namespace

SleepCache::SleepCache(const Executor& exec) : exec_(exec), independence_(exec, false) {
}

bool SleepCache::next_execution() {
  depth_ = 0;
  ran_ = no_thread;
  replaying_ = false;
  cycle_from_.reset();
  if (!started_) {
    started_ = true;
    return true;
  }
  while (!nodes_.empty()) {
    Node& n = nodes_.back();
    if (n.value_node) {
      if (++n.value < n.count) return true;
    } else {
      n.done |= bit(n.chosen);
      n.todo &= ~bit(n.chosen);
      if (n.todo) {
        n.chosen = lowest(n.todo);
        return true;
      }
    }
    nodes_.pop_back();
  }
  done_ = true;
  return false;
}

void SleepCache::take(const Node& at, ThreadId t) {
  sleep_ = still_asleep(exec_, independence_, (at.sleep | at.done) & ~bit(t), exec_.pending(t));
  ran_ = t;
  ran_op_ = exec_.pending(t);
}

void SleepCache::after_step() {
  if (ran_ == no_thread) return;
  sleep_ = wake(exec_, independence_, sleep_, performed_footprint(exec_, independence_, ran_, ran_op_));
  ran_ = no_thread;
}

ThreadId SleepCache::pick_thread(const SchedulePoint& point) {
  if (depth_ < nodes_.size()) {  // replaying the path to the node that turns off it
    const Node& n = nodes_[depth_++];
    assert(!n.value_node);
    // The sleep set matters from the last node on; a choose step's value node may come after it.
    bool last = depth_ == nodes_.size() || (depth_ + 1 == nodes_.size() && nodes_[depth_].value_node);
    if (last) take(n, n.chosen);
    replaying_ = !last;
    return n.chosen;
  }
  after_step();
  replaying_ = false;
  ThreadMask enabled = 0;
  for (ThreadId t : point.enabled) enabled |= bit(t);
  Node n;
  n.sleep = sleep_;
  n.key = exec_.state_key();
  n.step = point.step;
  auto [stored, fresh] = visited_.try_emplace(n.key, sleep_);
  if (!fresh)
    for (const Node& on_path : nodes_)
      if (!on_path.value_node && on_path.key == n.key) {
        cycle_from_ = on_path.step;
        return no_thread;
      }
  if (fresh) {
    n.todo = enabled & ~sleep_;
  } else {
    // Explored before with the sleep set *stored: what it slept through
    // then and this visit does not is all that is left to take.
    n.todo = enabled & *stored & ~sleep_;
    *stored &= sleep_;
  }
  if (!n.todo) return no_thread;  // explored already, or every enabled thread is asleep
  n.chosen = point.current != no_thread && (n.todo & bit(point.current)) ? point.current : lowest(n.todo);
  nodes_.push_back(n);
  ++depth_;
  take(n, n.chosen);
  return n.chosen;
}

uint32_t SleepCache::pick_value(uint32_t choices) {
  if (depth_ < nodes_.size()) {
    const Node& n = nodes_[depth_++];
    assert(n.value_node && n.count == choices);
    sleep_ = n.sleep;
    return n.value;
  }
  Node n;
  n.value_node = true;
  n.count = choices;
  n.sleep = sleep_;
  nodes_.push_back(n);
  ++depth_;
  return 0;
}

void SleepCache::execution_done(const RunResult&) {
  // An execution that ended early leaves no deeper decisions to revisit.
  nodes_.resize(std::min(nodes_.size(), depth_));
}

}  // namespace fsmc
