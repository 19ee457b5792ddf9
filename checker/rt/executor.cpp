#include "rt/executor.hpp"

#include <algorithm>
#include <cassert>
#include <new>
#include <stdexcept>

#include "rt/asan_fiber.hpp"
#include "search/strategy.hpp"
#include "sync/primitive.hpp"

namespace fsmc {

namespace ctx = boost::context::detail;

Executor::Executor(Program program, ExecutorOptions options)
    : program_(std::move(program)), options_(options), stacks_(options.stack_size) {
  name_index(no_deadlock, true);
  name_index(step_limit, true);
  build();
  for (const Slot& s : slots_) thread_names_.push_back(s.name);
}

// An execution that ends early leaves fibers suspended. Nothing unwinds
// them: the next execution builds new fibers on the same stacks, which is
// why model code must keep nothing with a destructor alive across a step
// (docs/engine.md, "Ending an execution early").
Executor::~Executor() = default;

uint32_t Executor::name_index(const std::string& name, bool add) {
  for (uint32_t i = 0; i < invariant_names_.size(); ++i)
    if (invariant_names_[i] == name) return i;
  if (!add) return UINT32_MAX;
  if (invariant_names_.size() >= 64)  // Executor::unchecked_ has a bit per name
    throw std::length_error("a program may name at most 64 invariants");
  invariant_names_.push_back(name);
  return static_cast<uint32_t>(invariant_names_.size() - 1);
}

bool Executor::has_invariant(const std::string& name) const {
  return std::find(invariant_names_.begin(), invariant_names_.end(), name) != invariant_names_.end();
}

void Executor::check_only(const std::vector<std::string>& names) {
  unchecked_ = 0;
  for (uint32_t i = 2; i < invariant_names_.size(); ++i)
    if (std::find(names.begin(), names.end(), invariant_names_[i]) == names.end()) unchecked_ |= 1ull << i;
}

bool Executor::checked(const std::string& name) const {
  for (uint32_t i = 0; i < invariant_names_.size(); ++i)
    if (invariant_names_[i] == name) return !(unchecked_ >> i & 1);
  return false;
}

void Executor::build() {
  forget_saved(0);
  restorable_ = false;
  state_.clear();
  objects_.clear();
  slots_.clear();
  threads_.clear();
  invariants_.clear();
  dump_ = nullptr;
  state_hash_ = nullptr;
  object_hash_ = nullptr;
  objects_keyed_ = false;
  symmetric_.clear();
  own_data_ = nullptr;
  renamed_hash_ = nullptr;
  Builder b(*this);
  program_(b);
  restorable_ = restorable_ && options_.restore &&
                std::all_of(state_.begin(), state_.end(), [](const StateObject& o) { return o.clone != nullptr; });
  if (coverage_.ordered()) coverage_.set_goal_object(b.object("reach goals"));
  for (ThreadId t = 0; t < slots_.size(); ++t) threads_.push_back(Thread(this, t));
}

// A fiber's first code: `from` is the scheduler, which started thread running_.
void Executor::fiber_entry(ctx::transfer_t from) {
  auto& e = *static_cast<Executor*>(from.data);
  asan::finish_switch(&e.scheduler_stack_bottom_, &e.scheduler_stack_size_);
  e.scheduler_ = from.fctx;
  ThreadId t = e.running_;
  e.slots_[t].body(e.threads_[t]);
  e.slots_[t].finished = true;
  e.slots_[t].pending = &finished_op;
  // Back to the scheduler for good: a finished fiber is never resumed (an
  // fcontext function must not return).
  asan::start_switch(e.scheduler_stack_bottom_, e.scheduler_stack_size_);
  ctx::jump_fcontext(e.scheduler_, nullptr);
}

void Executor::start(ThreadId t) {
  slots_[t].stack = &stacks_.slot(t);
  boost::context::stack_context sc = slots_[t].stack->context();
  slots_[t].context = ctx::make_fcontext(sc.sp, sc.size, &Executor::fiber_entry);
  resume(t);
}

void Executor::resume(ThreadId t) {
  running_ = t;
  slots_[t].version = ++versions_;
  asan::start_switch(slots_[t].stack->bottom(), slots_[t].stack->size());
  slots_[t].context = ctx::jump_fcontext(slots_[t].context, this).fctx;
  asan::finish_switch(nullptr, nullptr);
  running_ = no_thread;
}

void Executor::yield_to_scheduler() {
  asan::start_switch(scheduler_stack_bottom_, scheduler_stack_size_);
  scheduler_ = ctx::jump_fcontext(scheduler_, nullptr).fctx;
  asan::finish_switch(nullptr, nullptr);
}

std::vector<std::vector<ObjectId>> Executor::checked_invariant_reads() const {
  std::vector<std::vector<ObjectId>> out;
  for (const Invariant& inv : invariants_)
    if (!inv.at_quiescence && !(unchecked_ >> inv.name & 1)) out.push_back(inv.reads);
  return out;
}

bool Executor::enabled(ThreadId t) const {
  const Slot& s = slots_[t];
  return !s.finished && (!s.pending->ready.fn || s.pending->ready());  // the primitive's readiness (sync/)
}

void Executor::acquire(ThreadId t, ObjectId lock, bool exclusive) {
  LockState& l = objects_[lock].lock;
  if (exclusive) {
    assert(l.writer == no_thread && l.readers == 0);
    l.writer = t;
  } else {
    assert(l.writer == no_thread);
    ++l.readers;
  }
  slots_[t].held.push_back({lock, exclusive});
}

void Executor::release(ThreadId t, ObjectId lock) {
  auto& held = slots_[t].held;
  auto it = std::find_if(held.rbegin(), held.rend(), [&](const Held& h) { return h.lock == lock; });
  assert(it != held.rend() && "releasing a lock the thread does not hold");
  LockState& l = objects_[lock].lock;
  if (it->exclusive) l.writer = no_thread;
  else --l.readers;
  held.erase(std::next(it).base());
}

void Executor::downgrade(ThreadId t, ObjectId lock) {
  LockState& l = objects_[lock].lock;
  assert(l.writer == t);
  l.writer = no_thread;
  ++l.readers;
  for (Held& h : slots_[t].held)
    if (h.lock == lock) h.exclusive = false;
}

std::vector<HeldLock> Executor::locks_held(ThreadId t) const {
  std::vector<HeldLock> out;
  for (const Held& h : slots_[t].held) {
    const Object& o = objects_[h.lock];
    LockMode mode = o.kind != ObjectKind::rwsem ? LockMode::mutex : h.exclusive ? LockMode::exclusive : LockMode::shared;
    out.push_back({o.name, mode});
  }
  return out;
}

bool Executor::report(uint32_t name, std::string message) {
  if (unchecked_ >> name & 1) return true;
  result_.violations.push_back(
      {invariant_names_[name], std::move(message), result_.steps, result_.preemptions, result_.decisions});
  if (mode_.keep_going) {
    unchecked_ |= 1ull << name;
    return true;
  }
  result_.end = RunResult::End::violation;
  return false;
}

bool Executor::check_invariants(bool at_quiescence) {
  for (const Invariant& inv : invariants_) {
    if (inv.at_quiescence != at_quiescence || (unchecked_ >> inv.name & 1)) continue;
    if (auto message = inv.check())
      if (!report(inv.name, std::move(*message))) return false;
  }
  return true;
}

std::string Executor::deadlock_message() const {
  std::string m = "no thread can move:";
  bool first = true;
  for (ThreadId t = 0; t < slots_.size(); ++t) {
    const Slot& s = slots_[t];
    if (s.finished || s.background) continue;  // idle workers explain nothing
    m += first ? " " : "; ";
    first = false;
    m += s.name + " waits in " + s.pending->function + " for " + std::string(to_string(s.pending->kind));
    if (s.pending->object != no_object) m += " " + objects_[s.pending->object].name + holders(*this, *s.pending);
  }
  return m;
}

const RunResult& Executor::run(Strategy& strategy, Mode mode) {
  ThreadId prev = no_thread;
  // The initial state is checked too: a reduced search may open with a step
  // that changes what an invariant reads, and would then never show it the
  // start. A resumed state was checked when first reached.
  bool go_on = begin(strategy, mode, &prev) || check_invariants(false);
  while (go_on) {
    ThreadId t = next_thread(prev);
    if (t == no_thread) break;
    perform(t);
    prev = t;
    strategy.stepped();
    go_on = strategy.seen_before() || check_invariants(false);
  }
  if (mode_.tracing && dump_) result_.state = dump_();
  if (result_.end != RunResult::End::stopped) strategy.execution_done(result_);
  return result_;
}

bool Executor::begin(Strategy& strategy, Mode mode, ThreadId* prev) {
  strategy_ = &strategy;
  mode_ = mode;
  result_.end = RunResult::End::finished;
  result_.violations.clear();
  result_.trace.clear();
  result_.state.clear();
  // restorable_ is the last build's: every build is of the same program.
  saving_ = restorable_ && !mode.tracing;
  if (saving_)
    if (std::optional<std::size_t> depth = strategy.departs_at()) {
      forget_saved(*depth + 1);  // states of the subtree the last execution left
      if (restore(*depth, *prev)) {
        ++resumed_;
        keeping_histories_ = has_state_hash() && strategy.wants_state_keys();
        if (keeping_histories_ && objects_keyed_ && !objects_key_valid_) key_all_objects();
        return true;
      }
    }
  result_.steps = result_.preemptions = 0;
  result_.decisions.clear();
  build();
  saving_ = restorable_ && !mode.tracing;
  keeping_histories_ = has_state_hash() && strategy.wants_state_keys();
  coverage_.start_execution();
  for (ThreadId t = 0; t < slots_.size(); ++t) start(t);
  if (keeping_histories_ && objects_keyed_) key_all_objects();
  else objects_key_valid_ = false;
  return false;
}

// Who runs next, as the strategy says; no_thread when the execution ends
// here (every thread finished, a deadlock, the step limit, a stop, a prune).
ThreadId Executor::next_thread(ThreadId prev) {
  enabled_.clear();
  bool all_finished = true;  // every thread but the background ones
  bool prev_enabled = false;
  for (ThreadId t = 0; t < slots_.size(); ++t) {
    if (slots_[t].finished) continue;
    all_finished &= slots_[t].background;
    if (enabled(t)) {
      enabled_.push_back(t);
      prev_enabled |= t == prev;
    }
  }
  if (all_finished && enabled_.empty()) {
    check_invariants(true);
    return no_thread;
  }
  if (enabled_.empty()) return end_early(no_deadlock, deadlock_message());
  if (result_.steps >= options_.step_limit)
    return end_early(step_limit,
                     "the execution did not end within " + std::to_string(options_.step_limit) + " steps");
  if (stop_requested()) {
    result_.end = RunResult::End::stopped;
    return no_thread;
  }
  ThreadId t = strategy_->pick_thread({enabled_, prev, result_.steps, static_cast<uint32_t>(slots_.size()), this});
  if (t == no_thread) {
    std::optional<uint32_t> from = strategy_->cycle_from();
    if (!from) {
      result_.end = RunResult::End::pruned;
      return no_thread;
    }
    // Keyed as one, a state and its renaming close a cycle too: repeating
    // the steps in between renames it again, and some power of a renaming is none.
    std::string renamed = keys_rename_threads() ? ", up to which of the identical threads is which" : "";
    return end_early(step_limit, "the state after step " + std::to_string(result_.steps) +
                                     " is the state after step " + std::to_string(*from) + renamed +
                                     ": the steps in between can repeat forever");
  }
  assert(std::find(enabled_.begin(), enabled_.end(), t) != enabled_.end());
  if (saving_ && strategy_->worth_saving()) save(prev);
  preempting_ = prev_enabled && t != prev;
  if (preempting_) ++result_.preemptions;
  result_.decisions.push_back(t);
  return t;
}

// The execution cannot go on: a violation of the engine's own `invariant`,
// or (unchecked, or with keep_going) just the end of this execution.
ThreadId Executor::end_early(const std::string& invariant, std::string message) {
  if (report(name_index(invariant, false), std::move(message))) result_.end = RunResult::End::pruned;
  return no_thread;
}

void Executor::perform(ThreadId t) {
  coverage_.performed(t, *slots_[t].pending);
  if (mode_.tracing) {
    traced_ = *slots_[t].pending;
    detail_.clear();
  }
  // observe_reads: the thread's step count and what this step reads join
  // its history (Executor::observe).
  if (keeping_histories_ && observe_reads_) slots_[t].history = observe(slots_[t].history, *slots_[t].pending);
  if (objects_keyed_ && keeping_histories_) {
    Op before = *slots_[t].pending;  // the step's declaration: its frame moves on
    resume(t);
    rekey_written(t, before);
  } else {
    resume(t);
    objects_key_valid_ = false;
  }
  ++result_.steps;
  if (mode_.tracing) record_step(t, preempting_);
}

bool Executor::stop_requested() const {
  if (mode_.interrupt && mode_.interrupt->load(std::memory_order_relaxed)) return true;
  // The clock now and then: a step costs far less than a clock read's worth of precision.
  return (result_.steps & 1023) == 1023 && std::chrono::steady_clock::now() >= mode_.deadline;
}

void Executor::record_step(ThreadId t, bool preemption) {
  const Op& op = traced_;
  TraceStep s;
  s.index = result_.steps - 1;
  s.thread = t;
  s.thread_name = slots_[t].name;
  s.function = op.function;
  s.point = op.point;
  s.op = op.kind;
  if (op.object != no_object) s.object = objects_[op.object].name;
  s.detail = detail_;
  s.locks = locks_held(t);
  if (op.kind == OpKind::choose) s.value = chosen_;
  s.preemption = preemption;
  result_.trace.push_back(std::move(s));
}

}  // namespace fsmc
