#include "search/sleep_cache.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

#include "rt/executor.hpp"

namespace fsmc {

namespace {

// A set of threads, as the threads of the state the last key renamed
// (Executor::order) — the table keeps sleep sets that way — and back.
ThreadMask renamed(ThreadMask m, const ThreadOrder& order) {
  ThreadMask out = 0;
  for (; m; m &= m - 1) out |= bit(order[lowest(m)]);
  return out;
}
ThreadMask unrenamed(ThreadMask m, const ThreadOrder& order) {
  ThreadMask out = 0;
  for (ThreadId t = 0; m; ++t)  // until every thread of m is placed (order is a permutation)
    if (m & bit(order[t])) {
      out |= bit(t);
      m &= ~bit(order[t]);
    }
  return out;
}

}  // namespace

SleepCache::SleepCache(const Executor& exec) : exec_(exec), independence_(exec, false) {
}

SleepCache::SleepCache(const Executor& exec, Cut cut) : SleepCache(exec) { cut_ = cut.depth; }

SleepCache::SleepCache(const Executor& exec, Task task, SharedStates& shared) : SleepCache(exec) {
  path_.fix(std::move(task.prefix));
  fixed_ = path_.size();
  root_sleep_ = task.root_sleep;
  shared_ = &shared;
}

std::vector<uint32_t> SleepCache::decisions(const Prefix& prefix) {
  std::vector<uint32_t> out;
  for (const Branch& b : prefix) out.push_back(b.chosen);
  return out;
}

bool SleepCache::next_execution() {
  path_.restart();
  key_.reset();
  ran_ = no_thread;
  replaying_ = false;
  cycle_from_.reset();
  if (!started_) {
    started_ = true;
    return true;
  }
  if (shared_) mark_done();
  done_ = !path_.advance();
  departs_at_ = path_.size() - 1;
  return !done_;
}

void SleepCache::mark_done() {
  for (std::size_t i = path_.size(); i-- > fixed_;) {
    const Branch& b = path_[i];
    bool more = b.value ? b.chosen + 1 < b.end : (b.todo & ~bit(b.chosen)) != 0;
    if (more) return;
    if (!b.value) shared_->done(b.extra.key);
  }
}

void SleepCache::share_explored(SharedStates& into) const {
  std::vector<uint64_t> path;
  for (std::size_t i = 0; i < path_.size(); ++i)
    if (!path_[i].value) path.push_back(path_[i].extra.key);
  std::sort(path.begin(), path.end());
  visited_.for_each([&](uint64_t key, ThreadMask sleep) {
    if (!std::binary_search(path.begin(), path.end(), key)) into.explored(key, sleep);
  });
}

bool SleepCache::on_path(uint64_t key, std::size_t depth) {
  for (std::size_t i = 0; i < depth; ++i)
    if (!path_[i].value && path_[i].extra.key == key) {
      cycle_from_ = path_[i].extra.step;
      return true;
    }
  return false;
}

std::optional<ThreadMask> SleepCache::todo(uint64_t key, ThreadMask enabled, ThreadMask all) {
  if (shared_) return shared_todo(key, enabled, all);
  if (cut_) {  // cutting keeps no cache: every visit is a first one
    if (on_path(key, path_.size())) return std::nullopt;
    return enabled & ~sleep_;
  }
  const ThreadOrder& order = exec_.order();
  ThreadMask sleep = renamed(sleep_, order);
  auto [stored, fresh] = visited_.try_emplace(key, sleep);
  if (fresh) return enabled & ~sleep_;
  if (on_path(key, path_.size())) return std::nullopt;
  // Explored before with the sleep set stored: what it slept through
  // then and this visit does not is all that is left to take.
  ThreadMask left = enabled & unrenamed(stored.value() & all, order) & ~sleep_;
  stored.narrow(sleep);
  return left;
}

std::optional<ThreadMask> SleepCache::shared_todo(uint64_t key, ThreadMask enabled, ThreadMask all) {
  const ThreadOrder& order = exec_.order();
  SharedStates::Visit v = shared_->visit(key, renamed(sleep_, order));
  // A state new to the table may still be one of the prefix's, which no table holds.
  if (on_path(key, v.fresh ? fixed_ : path_.size())) return std::nullopt;
  if (v.fresh) {
    ThreadMask left = enabled & ~sleep_;
    if (!left) shared_->done(key);  // nothing to take here: its exploration is over already
    return left;
  }
  if (!v.before.done) {  // what lies below is not known yet: explored again, from the other end
    downward_ = true;
    return enabled & ~sleep_;
  }
  return enabled & unrenamed(v.before.sleep & all, order) & ~sleep_;
}

// The key is made as soon as the step has run, and its slot in the table
// loaded while the invariants are checked and the enabled threads found: a
// probe of the table otherwise waits on a cache miss nearly every time.
void SleepCache::stepped() {
  if (path_.replaying()) return;
  key_ = exec_.state_key();
  if (shared_) shared_->prefetch(*key_);
  else if (!cut_) visited_.prefetch(*key_);
}

void SleepCache::take(const Branch& at, ThreadId t) {
  sleep_ = still_asleep(pending_, (at.sleep | at.done) & ~bit(t), t);
  ran_ = t;
  ran_footprint_ = pending_.of(t);
}

void SleepCache::after_step() {
  if (ran_ == no_thread) return;
  sleep_ = wake(pending_, sleep_, performed_footprint(exec_, ran_footprint_, ran_));
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
    worth_saving_ = path_.returns_to(depth - 1, exec_.pending(b.chosen));
    return b.chosen;
  }
  uint64_t key = key_ ? *std::exchange(key_, std::nullopt) : exec_.state_key();
  after_step();
  replaying_ = false;
  downward_ = false;
  ThreadMask enabled = 0;
  for (ThreadId t : point.enabled) enabled |= bit(t);
  // A task's root, met first: asleep only what every path of the cut to it slept through.
  if (shared_ && path_.size() == fixed_) sleep_ &= unrenamed(root_sleep_, exec_.order());
  ThreadMask all = point.threads >= 32 ? ~ThreadMask{0} : bit(point.threads) - 1;
  std::optional<ThreadMask> left = todo(key, enabled, all);
  if (!left) return no_thread;  // a cycle
  ThreadMask options = *left;
  if (!options) return no_thread;  // explored already, or every enabled thread is asleep
  if (cut_ && path_.size() >= cut_) {  // a task's root: its subtree is searched on its own
    ++paths_cut_;
    ThreadMask sleep = renamed(sleep_, exec_.order());
    auto [task, fresh] = roots_.try_emplace(key, static_cast<uint32_t>(tasks_.size()));
    if (fresh) tasks_.push_back({path_.prefix(path_.size()), sleep});
    else tasks_[task->second].root_sleep &= sleep;
    return no_thread;
  }
  ThreadId chosen = downward_                                                   ? highest(options)
                   : point.current != no_thread && (options & bit(point.current)) ? point.current
                                                                                  : lowest(options);
  Branch& b = path_.push(Path<State>::thread_branch(options, chosen, sleep_));
  b.downward = downward_;
  b.extra = {key, point.step};
  take(b, chosen);
  worth_saving_ = path_.returns_to(path_.size() - 1, exec_.pending(chosen));
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
