#include "search/continuations.hpp"

#include <algorithm>

#include "search/dfs.hpp"

namespace fsmc {

namespace {

// Follows the prefix, then lets DFS choose: DFS's decision tree starts where
// the prefix ends. Its executions resume from states saved at DFS's
// branches, as DFS's own do (Strategy::departs_at), instead of rebuilding
// the program and replaying the whole prefix each time: a point of no
// return probe runs thousands of them after a prefix of hundreds of steps.
class AfterPrefix : public Strategy {
 public:
  explicit AfterPrefix(const std::vector<uint32_t>& prefix) : prefix_(prefix) {}
  bool next_execution() override {
    next_ = 0;
    return dfs_.next_execution();
  }
  ThreadId pick_thread(const SchedulePoint& point) override {
    dfs_picked_ = next_ >= prefix_.size();
    if (!dfs_picked_) {
      ThreadId t = prefix_[next_++];
      if (std::find(point.enabled.begin(), point.enabled.end(), t) != point.enabled.end()) return t;
      impossible_ = true;
      return no_thread;
    }
    return dfs_.pick_thread(point);
  }
  uint32_t pick_value(uint32_t choices) override {
    if (next_ < prefix_.size()) {
      uint32_t v = prefix_[next_++];
      if (v < choices) return v;
      impossible_ = true;
      return 0;
    }
    return dfs_.pick_value(choices);
  }
  void execution_done(const RunResult& r) override { dfs_.execution_done(r); }
  // DFS's depths, below the prefix. Only states DFS's picks lead to are
  // saved (no execution takes another way in the prefix), so an execution
  // resumes past the prefix.
  std::optional<std::size_t> departs_at() const override {
    std::optional<std::size_t> d = dfs_.departs_at();
    return d ? std::optional<std::size_t>(prefix_.size() + *d) : std::nullopt;
  }
  void resumed_at(std::size_t depth) override {
    next_ = prefix_.size();
    dfs_.resumed_at(depth - prefix_.size());
  }
  bool worth_saving() const override { return dfs_picked_ && dfs_.worth_saving(); }
  bool impossible() const { return impossible_; }

 private:
  const std::vector<uint32_t>& prefix_;
  std::size_t next_ = 0;
  bool impossible_ = false;
  bool dfs_picked_ = false;  // the last thread picked was DFS's, not the prefix's
  Dfs dfs_;
};

}  // namespace

Continuations every_continuation_violates(Executor& executor, const std::vector<uint32_t>& prefix,
                                          const std::string& invariant, uint64_t max_executions) {
  executor.check_only({invariant});
  AfterPrefix strategy(prefix);
  Continuations out;
  while (out.executions < max_executions && strategy.next_execution()) {
    const RunResult& r = executor.run(strategy, {.tracing = false, .keep_going = false});
    ++out.executions;
    if (strategy.impossible()) return out;
    bool violated = r.end == RunResult::End::violation && r.violations.size() == 1 &&
                    r.violations[0].invariant == invariant;
    if (!violated) {
      out.answer = Continuations::Answer::some_escape;
      return out;
    }
  }
  if (out.executions < max_executions) out.answer = Continuations::Answer::all_violate;
  return out;
}

}  // namespace fsmc
