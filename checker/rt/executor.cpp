#include "rt/executor.hpp"

#include <algorithm>
#include <cassert>
#include <new>
#include <stdexcept>

#include "rt/asan_fiber.hpp"
#include "rt/hash.hpp"
#include "search/strategy.hpp"
#include "sync/mutex.hpp"
#include "sync/rwsem.hpp"

namespace fsmc {

namespace {
// An execution that ends early leaves fibers suspended. Destroying a
// suspended boost::context::fiber unwinds its stack (~1.2 us each); we drop
// the handle instead and reuse the stack, which is why model code must keep
// nothing with a destructor alive across a step.
void abandon(boost::context::fiber&& f) {
  alignas(boost::context::fiber) unsigned char sink[sizeof(boost::context::fiber)];
  new (sink) boost::context::fiber(std::move(f));
}

uint64_t mix_text(uint64_t h, const char* s) {
  for (; *s; ++s) h = mix(h, static_cast<unsigned char>(*s));
  return mix(h, 0);
}

// A thread's program point for state keys: the step it announced.
uint64_t point_key(const Op& op) {
  uint64_t h = mix(mix(mix(0, static_cast<uint64_t>(op.kind)), op.object), op.choices);
  h = mix_text(mix_text(h, op.function), op.point);
  for (unsigned i = 0; i < op.n_ranges; ++i) {
    const Access& a = op.accesses[i];
    h = mix(mix(h, uint64_t{a.first} << 8 | static_cast<uint64_t>(a.kind)), a.count);
  }
  return h;
}
}  // namespace

std::string_view Thread::name() const { return exec_->slots_[id_].name; }

void Thread::step(const Op& op) {
  Executor::Slot& s = exec_->slots_[id_];
  s.pending = &exec_->coverage_.announce(id_, op);
  s.point_stale = true;
  exec_->yield_to_scheduler();
}

uint32_t Thread::choose(uint32_t n, const char* function, const char* point) {
  assert(n > 0);
  step(Op{.kind = OpKind::choose, .function = function, .point = point, .choices = n});
  uint32_t value = exec_->strategy_->pick_value(n);
  exec_->result_.decisions.push_back(value);
  exec_->chosen_ = value;
  uint64_t& history = exec_->slots_[id_].history;
  history = mix(history, uint64_t{value} + 1);
  return value;
}

void Thread::set_locals_hash(uint64_t hash) { exec_->slots_[id_].locals = hash; }

void Thread::set_locals_hash(uint64_t (*hash)(const void*), const void* arg) {
  exec_->slots_[id_].locals_fn = hash;
  exec_->slots_[id_].locals_arg = arg;
}

bool Thread::tracing() const { return exec_->mode_.tracing; }

void Thread::add_detail(std::string text) {
  std::string& d = exec_->detail_;
  if (!d.empty()) d += "; ";
  d += text;
}

Executor::Executor(Program program, ExecutorOptions options)
    : program_(std::move(program)), options_(options), stacks_(options.stack_size) {
  name_index(no_deadlock, true);
  name_index(step_limit, true);
  build();
  for (const Slot& s : slots_) thread_names_.push_back(s.name);
}

Executor::~Executor() { abandon_fibers(); }

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
  abandon_fibers();
  state_.clear();
  objects_.clear();
  slots_.clear();
  threads_.clear();
  invariants_.clear();
  dump_ = nullptr;
  state_hash_ = nullptr;
  object_hash_ = nullptr;
  Builder b(*this);
  program_(b);
  if (coverage_.ordered()) coverage_.set_goal_object(b.object("reach goals"));
  for (ThreadId t = 0; t < slots_.size(); ++t) threads_.push_back(Thread(this, t));
}

void Executor::start(ThreadId t) {
  slots_[t].stack = &stacks_.slot(t);
  slots_[t].fiber = boost::context::fiber(
      std::allocator_arg, SlotStack{slots_[t].stack}, [this, t](boost::context::fiber&& scheduler) {
        asan::finish_switch(&scheduler_stack_bottom_, &scheduler_stack_size_);
        scheduler_ = std::move(scheduler);
        slots_[t].body(threads_[t]);
        slots_[t].finished = true;
        slots_[t].pending = &finished_op;
        asan::start_switch(scheduler_stack_bottom_, scheduler_stack_size_);
        return std::move(scheduler_);
      });
  resume(t);
}

void Executor::resume(ThreadId t) {
  running_ = t;
  asan::start_switch(slots_[t].stack->bottom(), slots_[t].stack->size());
  slots_[t].fiber = std::move(slots_[t].fiber).resume();
  asan::finish_switch(nullptr, nullptr);
  running_ = no_thread;
}

void Executor::yield_to_scheduler() {
  asan::start_switch(scheduler_stack_bottom_, scheduler_stack_size_);
  scheduler_ = std::move(scheduler_).resume();
  asan::finish_switch(nullptr, nullptr);
}

void Executor::abandon_fibers() {
  for (Slot& s : slots_)
    if (s.fiber) abandon(std::move(s.fiber));
}

std::vector<std::vector<ObjectId>> Executor::checked_invariant_reads() const {
  std::vector<std::vector<ObjectId>> out;
  for (const Invariant& inv : invariants_)
    if (!inv.at_quiescence && !(unchecked_ >> inv.name & 1)) out.push_back(inv.reads);
  return out;
}

bool Executor::writer_waiting(ObjectId sem, ThreadId except) const {
  if (objects_[sem].lock.readers == 0) return false;
  for (ThreadId u = 0; u < slots_.size(); ++u) {
    const Slot& s = slots_[u];
    if (u != except && !s.finished && s.pending->kind == OpKind::down_write && s.pending->object == sem) return true;
  }
  return false;
}

bool Executor::enabled(ThreadId t) const {
  const Slot& s = slots_[t];
  if (s.finished) return false;
  const Op& op = *s.pending;
  switch (op.kind) {
    case OpKind::lock:
    case OpKind::down_write: {
      const LockState& l = objects_[op.object].lock;
      return l.writer == no_thread && l.readers == 0;
    }
    case OpKind::down_read:
      return objects_[op.object].lock.writer == no_thread && !writer_waiting(op.object, t);
    case OpKind::wait:
      return op.ready();
    default:
      return true;
  }
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

std::vector<std::string> Executor::locks_held(ThreadId t) const {
  std::vector<std::string> out;
  for (const Held& h : slots_[t].held) {
    const Object& o = objects_[h.lock];
    out.push_back(o.kind == ObjectKind::rwsem ? o.name + (h.exclusive ? "_EXCL" : "_SHARED") : o.name);
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
    if (s.finished) continue;
    m += first ? " " : "; ";
    first = false;
    m += s.name + " waits in " + s.pending->function + " for " + std::string(to_string(s.pending->kind));
    if (s.pending->object != no_object) m += " " + objects_[s.pending->object].name;
    const LockState& l = s.pending->object != no_object ? objects_[s.pending->object].lock : LockState{};
    if (s.pending->is_lock_op() && l.writer != no_thread) m += " (held by " + slots_[l.writer].name + ")";
    else if (s.pending->is_lock_op() && l.readers > 0) m += " (held shared by " + std::to_string(l.readers) + ")";
  }
  return m;
}

const RunResult& Executor::run(Strategy& strategy, Mode mode) {
  strategy_ = &strategy;
  mode_ = mode;
  result_.end = RunResult::End::finished;
  result_.violations.clear();
  result_.steps = result_.preemptions = 0;
  result_.decisions.clear();
  result_.trace.clear();
  result_.state.clear();
  build();
  keeping_histories_ = state_hash_ && strategy.wants_state_keys();
  coverage_.start_execution();
  for (ThreadId t = 0; t < slots_.size(); ++t) start(t);

  // The initial state too: a reduced search may open with a step that
  // changes what an invariant reads, and would then never show it the start.
  bool go_on = check_invariants(false);
  ThreadId prev = no_thread;
  while (go_on) {
    enabled_.clear();
    bool all_finished = true;
    bool prev_enabled = false;
    for (ThreadId t = 0; t < slots_.size(); ++t) {
      if (slots_[t].finished) continue;
      all_finished = false;
      if (enabled(t)) {
        enabled_.push_back(t);
        prev_enabled |= t == prev;
      }
    }
    if (all_finished) {
      check_invariants(true);
      break;
    }
    if (enabled_.empty()) {
      if (!report(name_index(no_deadlock, false), deadlock_message())) break;
      result_.end = RunResult::End::pruned;  // unchecked or keep-going: the execution cannot go on
      break;
    }
    if (result_.steps >= options_.step_limit) {
      std::string m = "the execution did not end within " + std::to_string(options_.step_limit) + " steps";
      if (!report(name_index(step_limit, false), std::move(m))) break;
      result_.end = RunResult::End::pruned;
      break;
    }
    if (stop_requested()) {
      result_.end = RunResult::End::stopped;
      break;
    }
    ThreadId t = strategy.pick_thread({enabled_, prev, result_.steps, static_cast<uint32_t>(slots_.size()), this});
    if (t == no_thread) {
      if (std::optional<uint32_t> from = strategy.cycle_from()) {
        std::string m = "the state after step " + std::to_string(result_.steps) + " is the state after step " +
                        std::to_string(*from) + ": the steps in between can repeat forever";
        if (!report(name_index(step_limit, false), std::move(m))) break;
      }
      result_.end = RunResult::End::pruned;
      break;
    }
    assert(std::find(enabled_.begin(), enabled_.end(), t) != enabled_.end());
    if (prev_enabled && t != prev) ++result_.preemptions;
    result_.decisions.push_back(t);
    coverage_.performed(t, *slots_[t].pending);
    if (mode_.tracing) traced_ = *slots_[t].pending;
    if (mode_.tracing) detail_.clear();
    // observe_reads: the thread's step count and what this step reads join
    // its history (Executor::observe).
    if (keeping_histories_ && observe_reads_) slots_[t].history = observe(slots_[t].history, *slots_[t].pending);
    resume(t);
    ++result_.steps;
    if (mode_.tracing) record_step(t);
    prev = t;
    go_on = strategy.seen_before() || check_invariants(false);
  }
  if (mode_.tracing && dump_) result_.state = dump_();
  abandon_fibers();
  if (result_.end != RunResult::End::stopped) strategy.execution_done(result_);
  return result_;
}

bool Executor::stop_requested() const {
  if (mode_.interrupt && mode_.interrupt->load(std::memory_order_relaxed)) return true;
  // The clock now and then: a step costs far less than a clock read's worth of precision.
  return (result_.steps & 1023) == 1023 && std::chrono::steady_clock::now() >= mode_.deadline;
}

// With observe_reads: one more step of the thread, and what it is about to
// see of the objects it declared (Builder::object_hash).
uint64_t Executor::observe(uint64_t history, const Op& op) const {
  history = mix(history, 0);
  if (!object_hash_) return history;
  auto fold = [&](ObjectId id) {
    const Object& o = objects_[id];
    history = o.kind == ObjectKind::plain ? mix(history, object_hash_(id))
                                          : mix(mix(history, o.lock.writer), o.lock.readers);
  };
  if (op.object != no_object) fold(op.object);
  op.for_each_access([&](ObjectId o, AccessKind) { fold(o); });
  return history;
}

uint64_t Executor::state_key() const {
  assert(state_hash_);
  uint64_t h = mix(0, state_hash_());
  for (const Object& o : objects_)
    if (o.kind != ObjectKind::plain) h = mix(mix(h, o.lock.writer), o.lock.readers);
  for (const Slot& s : slots_) {
    h = mix(h, s.finished);
    if (s.finished) continue;
    if (s.point_stale) {  // hashed when first needed: most steps are replayed, never keyed
      s.point = point_key(*s.pending);
      s.point_stale = false;
    }
    uint64_t locals = s.locals_fn ? s.locals_fn(s.locals_arg) : s.locals;
    h = mix(mix(mix(h, s.point), locals), s.history);
    for (const Held& held : s.held) h = mix(h, uint64_t{held.lock} << 1 | held.exclusive);
  }
  if (coverage_.ordered()) h = mix(h, coverage_.key());
  return h;
}

void Executor::record_step(ThreadId t) {
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
  result_.trace.push_back(std::move(s));
}

ObjectId Builder::object(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::plain, {}});
  return static_cast<ObjectId>(exec_.objects_.size() - 1);
}

Mutex Builder::mutex(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::mutex, {}});
  return Mutex{static_cast<ObjectId>(exec_.objects_.size() - 1)};
}

RwSem Builder::rwsem(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::rwsem, {}});
  return RwSem{static_cast<ObjectId>(exec_.objects_.size() - 1)};
}

void Builder::thread(std::string name, std::function<void(Thread&)> body) {
  if (exec_.slots_.size() >= max_threads)
    throw std::length_error("a program may start at most " + std::to_string(max_threads) + " threads");
  Executor::Slot s;
  s.name = std::move(name);
  s.body = std::move(body);
  exec_.slots_.push_back(std::move(s));
}

void Builder::invariant(std::string name, Check check, std::vector<ObjectId> reads) {
  exec_.invariants_.push_back({exec_.name_index(name, true), std::move(check), std::move(reads), false});
}

void Builder::final_check(std::string name, Check check) {
  exec_.invariants_.push_back({exec_.name_index(name, true), std::move(check), {}, true});
}

void Builder::dump(std::function<StateDump()> dump) { exec_.dump_ = std::move(dump); }

void Builder::state_hash(std::function<uint64_t()> hash) { exec_.state_hash_ = std::move(hash); }

void Builder::object_hash(std::function<uint64_t(ObjectId)> hash) { exec_.object_hash_ = std::move(hash); }

}  // namespace fsmc
