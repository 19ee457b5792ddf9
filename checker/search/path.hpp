// The decision tree of a depth-first search, kept as the path from the root
// to the current execution's last decision (loom's Path): one Branch per
// decision, holding what is still to try there. Each execution starts at the
// root, replays the recorded branches, then adds new ones as it goes;
// backtracking moves to the next option of the deepest branch that has one.
// Dfs, the stateful search (SleepCache) and DPOR differ only in which
// options they put in a branch and what else they keep beside it (`Extra`).
//
// A path's first decisions can also be fixed (Path::fix): a prefix with one
// option per branch — a subtree of the whole search, explored below it.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "rt/op.hpp"

namespace fsmc {

using ThreadMask = uint32_t;  // a set of threads, bit t for thread t
static_assert(sizeof(ThreadMask) * 8 >= max_threads);

inline ThreadMask bit(ThreadId t) { return ThreadMask{1} << t; }
inline ThreadId lowest(ThreadMask mask) { return static_cast<ThreadId>(std::countr_zero(mask)); }
inline ThreadId highest(ThreadMask mask) { return static_cast<ThreadId>(std::bit_width(mask) - 1); }

struct NoExtra {};

template <class Extra = NoExtra>
class Path {
 public:
  struct Branch {
    bool value = false;    // a choose() value, not a thread
    bool downward = false; // thread branch: takes its threads highest first (else lowest first)
    uint32_t chosen = 0;   // the thread or value taken on the current path
    uint32_t count = 0;    // value branch: the choice is among 0..count-1 ...
    uint32_t end = 0;      // ... of which chosen..end-1 are still to try
    ThreadMask todo = 0;   // thread branch: threads still to take, chosen included
    ThreadMask done = 0;   // thread branch: threads taken here already
    ThreadMask sleep = 0;  // thread branch: asleep on entry; value branch: its children's sleep set
    Extra extra{};
  };

  // A new execution starts at the root.
  void restart() { depth_ = 0; }
  // ... or, resumed from a saved state, `depth` decisions deep.
  void resume_at(std::size_t depth) { depth_ = depth; }
  // The decision to make next was recorded by an earlier execution.
  bool replaying() const { return depth_ < branches_.size(); }
  Branch& replay_next() { return branches_[depth_++]; }
  // A decision this path has not made before; `b.chosen` is taken.
  Branch& push(Branch b) {
    branches_.push_back(b);
    ++depth_;
    return branches_.back();
  }
  static Branch thread_branch(ThreadMask todo, ThreadId chosen, ThreadMask sleep = 0) {
    return {.chosen = chosen, .todo = todo, .sleep = sleep};
  }
  static Branch value_branch(uint32_t count, ThreadMask sleep = 0) {
    return {.value = true, .chosen = 0, .count = count, .end = count, .sleep = sleep};
  }

  // The next execution's path: the next option of the deepest branch that
  // has one, below the fixed prefix. False when the tree is exhausted.
  bool advance() {
    while (branches_.size() > fixed_) {
      Branch& b = branches_.back();
      if (b.value) {
        if (++b.chosen < b.end) return true;
      } else {
        b.done |= bit(b.chosen);
        b.todo &= ~bit(b.chosen);
        if (b.todo) {
          b.chosen = b.downward ? highest(b.todo) : lowest(b.todo);
          return true;
        }
      }
      branches_.pop_back();
    }
    return false;
  }
  // An execution that ended early leaves no deeper decisions to revisit.
  void cut_to_depth() {
    if (branches_.size() > depth_) branches_.resize(depth_);
  }

  // The current path's first `n` branches, each narrowed to the option it
  // took: plain values naming a subtree of the search (its decisions, and
  // the sleep sets and siblings taken that decide what is asleep below it).
  std::vector<Branch> prefix(std::size_t n) const {
    std::vector<Branch> out(branches_.begin(), branches_.begin() + static_cast<std::ptrdiff_t>(n));
    for (Branch& b : out) {
      if (b.value) b.end = b.chosen + 1;
      else b.todo = bit(b.chosen);
    }
    return out;
  }
  // Searches only the subtree below `prefix` (from Path::prefix): advance()
  // never moves its branches.
  void fix(std::vector<Branch> prefix) {
    branches_ = std::move(prefix);
    fixed_ = branches_.size();
    depth_ = 0;
  }

  // How much of the tree lies left of the current path — the executions
  // before this one — as a fraction, taking every branch's subtrees to be
  // the same size (Knuth's estimate; exact on a uniform tree). For progress
  // lines and time estimates, never for a verdict.
  double explored() const {
    double done = 0, weight = 1;
    for (std::size_t i = fixed_; i < branches_.size(); ++i) {
      const Branch& b = branches_[i];
      uint32_t options = b.value ? b.count : static_cast<uint32_t>(std::popcount(b.todo | b.done));
      uint32_t before = b.value ? b.chosen : static_cast<uint32_t>(std::popcount(b.done));
      if (options == 0) break;
      done += weight * before / options;
      weight /= options;
    }
    return done;
  }

  // Whether a later execution comes back to branch `at`, which just took a
  // thread announcing `op` (Strategy::worth_saving): an option is left
  // there, or at the choice of a value right after it — recorded, or about
  // to be made by that thread's choose().
  bool returns_to(std::size_t at, const Op& op) const {
    const Branch& b = branches_[at];
    if (b.todo & ~bit(b.chosen)) return true;
    if (at + 1 == branches_.size()) return op.kind == OpKind::choose && op.choices > 1;
    const Branch& v = branches_[at + 1];
    return v.value && v.chosen + 1 < v.end;
  }

  std::size_t depth() const { return depth_; }
  std::size_t size() const { return branches_.size(); }
  bool empty() const { return branches_.empty(); }
  Branch& operator[](std::size_t i) { return branches_[i]; }
  const Branch& operator[](std::size_t i) const { return branches_[i]; }
  Branch& back() { return branches_.back(); }
  const std::vector<Branch>& branches() const { return branches_; }

 private:
  std::vector<Branch> branches_;
  std::size_t depth_ = 0;
  std::size_t fixed_ = 0;  // branches that advance() never moves
};

}  // namespace fsmc
