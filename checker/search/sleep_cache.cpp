#include "search/sleep_cache.hpp"

#include <cassert>

#include "rt/executor.hpp"

namespace fsmc {

SleepCache::SleepCache(const Executor& exec) : exec_(exec), independence_(exec, false) {
}

SleepCache::SleepCache(const Executor& exec, Cut cut) : SleepCache(exec) { cut_ = cut.depth; }

SleepCache::SleepCache(const Executor& exec, Prefix prefix) : SleepCache(exec) {
  for (const Branch& b : prefix)
    if (!b.value) visited_.try_emplace(b.extra.key, 0);
  path_.fix(std::move(prefix));
}

std::vector<uint32_t> SleepCache::decisions(const Prefix& prefix) {
  std::vector<uint32_t> out;
  for (const Branch& b : prefix) out.push_back(b.chosen);
  return out;
}

bool SleepCache::next_execution() {
  path_.restart();
  ran_ = no_thread;
  replaying_ = false;
  cycle_from_.reset();
  if (!started_) {
    started_ = true;
    return true;
  }
  done_ = !path_.advance();
  return !done_;
}

void SleepCache::take(const Branch& at, ThreadId t) {
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
  if (path_.replaying()) {  // replaying the path to the branch that turns off it
    const Branch& b = path_.replay_next();
    assert(!b.value);
    // The sleep set matters from the last branch on; a choose step's value branch may come after it.
    std::size_t depth = path_.depth();
    bool last = depth == path_.size() || (depth + 1 == path_.size() && path_[depth].value);
    if (last) take(b, b.chosen);
    replaying_ = !last;
    return b.chosen;
  }
  after_step();
  replaying_ = false;
  ThreadMask enabled = 0;
  for (ThreadId t : point.enabled) enabled |= bit(t);
  uint64_t key = exec_.state_key();
  ThreadMask cutting_sleep = sleep_;  // cutting keeps no cache: every visit is a first one
  auto [stored, fresh] = cut_ ? std::pair{&cutting_sleep, true} : visited_.try_emplace(key, sleep_);
  if (!fresh || cut_)
    for (const Branch& on_path : path_.branches())
      if (!on_path.value && on_path.extra.key == key) {
        cycle_from_ = on_path.extra.step;
        return no_thread;
      }
  ThreadMask todo;
  if (fresh) {
    todo = enabled & ~sleep_;
  } else {
    // Explored before with the sleep set *stored: what it slept through
    // then and this visit does not is all that is left to take.
    todo = enabled & *stored & ~sleep_;
    *stored &= sleep_;
  }
  if (!todo) return no_thread;  // explored already, or every enabled thread is asleep
  if (cut_ && path_.size() >= cut_) {  // a task's root: its subtree is searched on its own
    prefixes_.push_back(path_.prefix(path_.size()));
    return no_thread;
  }
  ThreadId chosen = point.current != no_thread && (todo & bit(point.current)) ? point.current : lowest(todo);
  Branch& b = path_.push(Path<State>::thread_branch(todo, chosen, sleep_));
  b.extra = {key, point.step};
  take(b, chosen);
  return chosen;
}

uint32_t SleepCache::pick_value(uint32_t choices) {
  if (path_.replaying()) {
    const Branch& b = path_.replay_next();
    assert(b.value && b.count == choices);
    sleep_ = b.sleep;
    return b.chosen;
  }
  return path_.push(Path<State>::value_branch(choices, sleep_)).chosen;
}

void SleepCache::execution_done(const RunResult&) { path_.cut_to_depth(); }

}  // namespace fsmc
