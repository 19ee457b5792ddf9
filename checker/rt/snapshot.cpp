// Saving the state of an execution at a scheduling point and resuming from
// it later, instead of replaying the path to it (docs/engine.md,
// "Restoring a state"). A saved state is everything that changes while an
// execution runs: the program's state objects, the lock states, per thread
// its engine bookkeeping and the used part of its stack, the goal windows,
// and the step and preemption counts. The rest — objects, names, thread
// bodies, checks, stacks — is built once and stays where it is.
#include <algorithm>

#include "rt/executor.hpp"
#include "search/strategy.hpp"

namespace fsmc {

// Saved states are kept at most this deep: each holds a copy of the
// program's state, which restore_bytes does not count, so the depth bounds
// that memory (deeper executions replay from the deepest one).
constexpr std::size_t max_saved_depth = 4096;

void Executor::save(ThreadId prev) {
  std::size_t depth = result_.decisions.size();
  if (depth >= max_saved_depth) return;
  if (saved_.size() <= depth) saved_.resize(depth + 1);
  Snapshot& s = saved_[depth];
  // Valid: saved on this same path when first passed (forget_saved drops
  // the others), so it is this state already.
  if (s.valid || saved_bytes_ > options_.restore_bytes) return;
  s.steps = result_.steps;
  s.preemptions = result_.preemptions;
  s.prev = prev;
  s.locks.resize(objects_.size());
  for (std::size_t i = 0; i < objects_.size(); ++i) s.locks[i] = objects_[i].lock;
  s.threads.resize(slots_.size());
  s.stack_bytes = 0;
  // The nearest state saved above on this path: a thread that has not run
  // since has the same stack, whose image it holds already.
  const Snapshot* above = nullptr;
  for (std::size_t d = depth; d-- > 0;)
    if (saved_[d].valid) {
      above = &saved_[d];
      break;
    }
  for (std::size_t t = 0; t < slots_.size(); ++t) {
    const Slot& slot = slots_[t];
    SavedThread& st = s.threads[t];
    st.context = slot.context;
    st.pending = slot.pending;
    st.finished = slot.finished;
    st.held = slot.held;
    st.locals = slot.locals;
    st.locals_fn = slot.locals_fn;
    st.locals_arg = slot.locals_arg;
    st.history = slot.history;
    st.point = slot.point;
    st.point_stale = slot.point_stale;
    st.key_version = slot.key_version;
    st.key = slot.key;
    st.locals_version = slot.locals_version;
    st.locals_computed = slot.locals_computed;
    st.version = slot.version;
    if (slot.finished) continue;
    if (above && above->threads[t].version == slot.version && !above->threads[t].finished) {
      st.owner = above->threads[t].owner;
      continue;
    }
    st.owner = depth;
    st.stack.save(*slot.stack, slot.context);
    s.stack_bytes += st.stack.bytes();
  }
  // Copies of the state objects, assigned into the last ones where there are.
  if (s.state.size() > state_.size()) s.state.clear();
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const StateObject& o = state_[i];
    if (i < s.state.size()) o.assign(s.state[i].get(), o.live.get());
    else s.state.push_back(o.clone(o.live.get()));
  }
  coverage_.save(s.coverage);
  s.object_terms = object_terms_;
  s.objects_key = objects_key_;
  s.objects_key_valid = objects_key_valid_;
  s.valid = true;
  saved_bytes_ += s.stack_bytes;
}

bool Executor::restore(std::size_t depth, ThreadId& prev) {
  depth = std::min(depth + 1, saved_.size());
  while (depth > 0 && !saved_[depth - 1].valid) --depth;
  // The last execution made at least the decisions the state is deep.
  if (depth == 0 || result_.decisions.size() < depth - 1) return false;
  const Snapshot& s = saved_[--depth];
  for (std::size_t i = 0; i < state_.size(); ++i) state_[i].assign(state_[i].live.get(), s.state[i].get());
  for (std::size_t i = 0; i < objects_.size(); ++i) objects_[i].lock = s.locks[i];
  for (std::size_t t = 0; t < slots_.size(); ++t) {
    Slot& slot = slots_[t];
    const SavedThread& st = s.threads[t];
    slot.context = st.context;
    slot.pending = st.pending;
    slot.finished = st.finished;
    slot.held = st.held;
    slot.locals = st.locals;
    slot.locals_fn = st.locals_fn;
    slot.locals_arg = st.locals_arg;
    slot.history = st.history;
    slot.point = st.point;
    slot.point_stale = st.point_stale;
    slot.key_version = st.key_version;
    slot.key = st.key;
    slot.locals_version = st.locals_version;
    slot.locals_computed = st.locals_computed;
    if (!st.finished && slot.version != st.version) saved_[st.owner].threads[t].stack.restore(*slot.stack);
    slot.version = st.version;
  }
  coverage_.restore(s.coverage);
  object_terms_ = s.object_terms;
  objects_key_ = s.objects_key;
  objects_key_valid_ = s.objects_key_valid;
  result_.steps = s.steps;
  result_.preemptions = s.preemptions;
  result_.decisions.resize(depth);
  prev = s.prev;
  strategy_->resumed_at(depth);
  return true;
}

void Executor::forget_saved(std::size_t from) {
  for (std::size_t d = from; d < saved_.size(); ++d)
    if (saved_[d].valid) {
      saved_[d].valid = false;
      saved_bytes_ -= saved_[d].stack_bytes;
    }
}

}  // namespace fsmc
