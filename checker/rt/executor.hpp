// Runs one execution of a program at a time: builds the model state fresh,
// runs every model thread as a Boost.Context fiber, asks the strategy who
// moves at each step, checks invariants after every step and at quiescence.
#pragma once

#include <any>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/context/detail/fcontext.hpp>

#include "rt/op.hpp"
#include "rt/stack_image.hpp"
#include "rt/stack_pool.hpp"
#include "rt/thread.hpp"
#include "rt/trace.hpp"
#include "search/coverage.hpp"

namespace fsmc {

class Builder;
class Strategy;
struct Mutex;
struct RwSem;

using Program = std::function<void(Builder&)>;
// nullopt when the predicate holds, else a message in plain words.
using Check = std::function<std::optional<std::string>()>;

struct LockState {
  ThreadId writer = no_thread;  // exclusive owner (Mutex, RwSem writer)
  uint32_t readers = 0;
};

struct Held {
  ObjectId lock;
  bool exclusive;
};

// A renaming of threads: thread t becomes thread order[t].
using ThreadOrder = std::array<ThreadId, max_threads>;

struct RunResult {
  enum class End { finished, violation, pruned, stopped };  // stopped: Mode::interrupt or Mode::deadline
  End end = End::finished;
  std::vector<Violation> violations;  // in the order seen
  uint32_t steps = 0;
  uint32_t preemptions = 0;
  std::vector<uint32_t> decisions;    // thread ids and choose values, in order
  std::vector<TraceStep> trace;       // when tracing
  StateDump state;                    // when tracing: at the violation or at the end
};

struct ExecutorOptions {
  std::size_t stack_size = 64 * 1024;
  uint32_t step_limit = 100000;
  // Resume executions from saved states when the program allows it
  // (Builder::restorable) and the strategy asks (Strategy::departs_at);
  // off, every execution starts from the initial state and replays its path.
  bool restore = true;
  // The most bytes of fiber stacks the saved states may hold; past it no
  // more are saved, and executions replay from the deepest one there is.
  std::size_t restore_bytes = std::size_t{512} << 20;
  // With Builder::object_state: after every step, hash every object again
  // and record each one the step changed without declaring it
  // (Executor::undeclared_writes). Slow; for tests of a model's steps.
  bool check_footprints = false;
  // Key a state by a canonical order of the threads a program declares
  // interchangeable (Builder::symmetric); off, each order is a state.
  bool symmetry = true;
};

class Executor {
 public:
  explicit Executor(Program program, ExecutorOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // What it was made from: another executor of the same program (a worker's).
  const Program& program() const { return program_; }
  const ExecutorOptions& options() const { return options_; }

  // Names the program registers (learned by building it once).
  const std::vector<std::string>& thread_names() const { return thread_names_; }
  const std::vector<std::string>& invariant_names() const { return invariant_names_; }
  bool has_invariant(const std::string& name) const;

  // Which invariants are checked; no_deadlock and step_limit always are.
  void check_only(const std::vector<std::string>& names);
  bool checked(const std::string& name) const;
  // The invariants not checked, a bit per name: saved and restored around a
  // search that another one replaces, copied to a worker's executor.
  uint64_t unchecked() const { return unchecked_; }
  void set_unchecked(uint64_t mask) { unchecked_ = mask; }

  struct Mode {
    bool tracing = false;
    bool keep_going = false;  // on a violation, stop checking that invariant and go on
    // Ends the execution early (End::stopped; the strategy is not told):
    // a caller's cap must hold however long one execution is.
    const std::atomic<bool>* interrupt = nullptr;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  };
  const RunResult& run(Strategy& strategy, Mode mode);

  // Started with Builder::background_thread.
  bool background(ThreadId t) const { return slots_[t].background; }
  const LockState& lock_state(ObjectId id) const { return objects_[id].lock; }
  const std::string& object_name(ObjectId id) const { return objects_[id].name; }
  // The operation thread `t` announced and waits to perform (finish when done).
  const Op& pending(ThreadId t) const { return *slots_[t].pending; }
  // Changes whenever thread `t` runs (never 0): while it is the same, so is
  // the thread's stack, and so pending(t).
  uint64_t version(ThreadId t) const { return slots_[t].version; }
  // The objects each checked per-step invariant consults (empty: unknown, so everything).
  std::vector<std::vector<ObjectId>> checked_invariant_reads() const;
  // Steps completed so far; while a thread performs a step, that step's index.
  uint32_t step_count() const { return result_.steps; }
  std::vector<HeldLock> locks_held(ThreadId t) const;

  // State caching keys threads by their locals hash (Thread::set_locals_hash)
  // and choose() values. With observe_reads, also by the number of steps
  // each took and what each step saw of the objects it declared
  // (Builder::object_hash): slower, but it needs no locals hash — a
  // cross-check of one (docs/engine.md).
  void observe_reads(bool on) { observe_reads_ = on; }
  // State caching: true when the program registered Builder::state_hash.
  bool has_state_hash() const { return state_hash_ || objects_keyed_; }
  // A hash of the whole state at a scheduling point: the model's hash, lock
  // states, and per thread its program point, locals hash and history.
  // With Builder::symmetric, of the state with its interchangeable threads
  // renamed into a canonical order (symmetry.cpp): states that differ only
  // by which of them is which have one key.
  uint64_t state_key() const;
  // The renaming the last state_key() applied (the identity without
  // symmetry): what the key says of thread order()[t] is thread t's.
  const ThreadOrder& order() const { return order_; }
  // Whether state_key() renames identical threads in this search: the
  // program declared them (Builder::symmetric), and nothing keyed names threads.
  bool keys_rename_threads() const;

  // Executions resumed from a saved state rather than built and replayed.
  uint64_t resumed() const { return resumed_; }
  // Before a strategy goes on after another one ran: the states saved are
  // the other's, so its next execution must start from the initial state.
  void forget_saved_states() { forget_saved(0); }

  // With options().check_footprints: the steps seen changing an object they
  // did not declare updating or writing, in words (empty: none).
  const std::vector<std::string>& undeclared_writes() const { return undeclared_writes_; }

  // Step ids reached and reach goals met, over every run since its reset().
  Coverage& coverage() { return coverage_; }

 private:
  friend class Thread;
  friend class Builder;
  // The modeled primitives (sync/) change lock states; nothing else does.
  friend struct Mutex;
  friend struct RwSem;
  void acquire(ThreadId t, ObjectId lock, bool exclusive);
  void release(ThreadId t, ObjectId lock);
  void downgrade(ThreadId t, ObjectId lock);

  // A fiber's saved registers, at the top of its used stack (Boost.Context's
  // low-level fcontext: a suspended fiber is this pointer and its stack).
  using Context = boost::context::detail::fcontext_t;
  static void fiber_entry(boost::context::detail::transfer_t from);

  enum class ObjectKind : uint8_t { plain, mutex, rwsem };
  struct Object {
    std::string name;
    ObjectKind kind;
    LockState lock;
  };
  struct Invariant {
    uint32_t name;  // index into invariant_names_
    Check check;
    std::vector<ObjectId> reads;
    bool at_quiescence;
  };
  // A piece of the program's state (Builder::make), with how to copy it
  // for a saved state: a copy made, and a copy assigned back into the live
  // object, which stays where it is. Null when it cannot be copied.
  struct StateObject {
    std::shared_ptr<void> live;
    std::shared_ptr<void> (*clone)(const void*) = nullptr;
    void (*assign)(void* to, const void* from) = nullptr;
  };
  struct Slot {
    std::string name;
    std::function<void(Thread&)> body;
    Context context = nullptr;  // where the suspended fiber goes on (null before it starts)
    Stack* stack = nullptr;     // the pool's stack the fiber runs on
    const Op* pending;  // the announced Op lives in the suspended thread's frame
    bool finished = false;
    bool background = false;  // Builder::background_thread
    std::vector<Held> held;
    uint64_t locals = 0;   // Thread::set_locals_hash
    uint64_t (*locals_fn)(const void*) = nullptr;  // ... or computed when keyed
    const void* locals_arg = nullptr;
    mutable uint64_t locals_version = 0;  // the version locals_fn's value was computed at
    mutable uint64_t locals_computed = 0;
    uint64_t history = 0;  // values chosen (and with observe_reads: steps taken, objects seen), for state_key
    mutable uint64_t point = 0;        // the announced step, hashed for state_key
    mutable bool point_stale = true;   // a step was announced since
    mutable uint64_t key_version = UINT64_MAX;  // the version thread_key's value was computed at (none yet)
    mutable uint64_t key = 0;
    uint64_t version = 0;  // changes whenever the fiber runs: equal versions, equal stacks
  };

  // The state of an execution at a scheduling point, `decisions` deep.
  struct SavedThread {
    Context context;
    const Op* pending;
    bool finished;
    std::vector<Held> held;
    uint64_t locals;
    uint64_t (*locals_fn)(const void*);
    const void* locals_arg;
    uint64_t history;
    uint64_t point;
    bool point_stale;
    uint64_t key_version, key;                // Slot's, so that a resumed execution need not hash the threads again
    uint64_t locals_version, locals_computed;
    uint64_t version;       // the stack's (Slot::version)
    std::size_t owner;      // the saved state holding its image: this one, or a shallower one with that version
    StackImage stack;       // when this one is the owner
  };
  struct Snapshot {
    bool valid = false;
    uint32_t steps = 0, preemptions = 0;
    ThreadId prev = no_thread;  // the thread that took the last step
    std::vector<LockState> locks;
    std::vector<SavedThread> threads;
    std::vector<std::shared_ptr<void>> state;
    Coverage::Moment coverage;
    std::vector<uint64_t> object_terms;  // with Builder::object_state
    uint64_t objects_key = 0;
    bool objects_key_valid = false;
    std::size_t stack_bytes = 0;
  };
  void save(ThreadId prev);
  // Resumes from the deepest saved state at most `depth` decisions deep; false if there is none.
  bool restore(std::size_t depth, ThreadId& prev);
  // Drops the saved states `from` decisions deep and deeper.
  void forget_saved(std::size_t from);

  void build();
  void start(ThreadId t);
  void resume(ThreadId t);
  void yield_to_scheduler();
  bool enabled(ThreadId t) const;
  // Sets up an execution: from a saved state when the strategy asks and
  // one is there (*prev: who took the last step), else from the start.
  bool begin(Strategy& strategy, Mode mode, ThreadId* prev);
  ThreadId next_thread(ThreadId prev);
  ThreadId end_early(const std::string& invariant, std::string message);
  void perform(ThreadId t);
  bool check_invariants(bool at_quiescence);
  bool stop_requested() const;
  bool report(uint32_t name, std::string message);
  std::string deadlock_message() const;
  void record_step(ThreadId t, bool preemption);
  uint64_t observe(uint64_t history, const Op& op) const;
  // A thread's share of a state key, wherever the thread is placed.
  uint64_t thread_key(const Slot& s) const;
  // state_key's canonical order of interchangeable threads, given each
  // thread's thread_key (symmetry.cpp): true when it is not the identity.
  bool canonical_order(const std::array<uint64_t, max_threads>& keys) const;
  // The model's share of the key of the state renamed by order_.
  uint64_t renamed_objects_key() const;
  // Builder::object_state: an object's share of objects_key_, and the key
  // kept up to date after a step from what it declared (objects_key.cpp).
  uint64_t object_term(ObjectId o) const;
  static uint64_t object_term(ObjectId o, uint64_t value);
  void key_all_objects();
  void rekey_written(ThreadId t, const Op& before);
  uint32_t name_index(const std::string& name, bool add);

  Program program_;
  ExecutorOptions options_;
  StackPool stacks_;

  std::vector<std::string> thread_names_;
  std::vector<std::string> invariant_names_;
  uint64_t unchecked_ = 0;  // bit per invariant name

  // The current execution.
  std::vector<StateObject> state_;
  bool restorable_ = false;  // Builder::restorable, and every state object can be copied; options_.restore
  std::vector<Object> objects_;
  std::vector<Slot> slots_;
  std::vector<Thread> threads_;
  std::vector<Invariant> invariants_;
  std::function<StateDump()> dump_;
  std::function<uint64_t()> state_hash_;
  std::function<uint64_t(ObjectId)> object_hash_;
  bool objects_keyed_ = false;           // Builder::object_state
  std::vector<uint64_t> object_terms_;   // per object: object_term, as last computed
  uint64_t objects_key_ = 0;             // their sum: the model's share of state_key
  bool objects_key_valid_ = false;       // no step ran unkeyed since they were computed
  std::vector<std::string> undeclared_writes_;
  // Builder::symmetric: groups of interchangeable threads, and the model's
  // account of each thread's own data.
  std::vector<std::vector<ThreadId>> symmetric_;
  std::function<uint64_t(ThreadId)> own_data_;
  std::function<uint64_t(ObjectId, const ThreadOrder&)> renamed_hash_;
  mutable ThreadOrder order_{};
  Context scheduler_ = nullptr;  // where the scheduler goes on when a fiber yields
  const void* scheduler_stack_bottom_ = nullptr;  // for AddressSanitizer's switch annotations
  std::size_t scheduler_stack_size_ = 0;
  Strategy* strategy_ = nullptr;
  Mode mode_;
  ThreadId running_ = no_thread;
  RunResult result_;
  std::vector<ThreadId> enabled_;
  std::string detail_;
  bool keeping_histories_ = false;  // a strategy reads state keys
  bool saving_ = false;             // this execution saves states to resume from
  std::vector<Snapshot> saved_;     // by decisions made; kept (with their buffers) across executions
  std::size_t saved_bytes_ = 0;     // stack bytes the valid ones hold
  uint64_t versions_ = 0;           // the last Slot::version handed out
  uint64_t resumed_ = 0;
  bool observe_reads_ = false;
  Op traced_;  // the step being traced
  bool preempting_ = false;  // next_thread switched away from a thread that could have gone on
  static constexpr Op finished_op{.kind = OpKind::finish};
  uint32_t chosen_ = 0;
  Coverage coverage_;
};

// What a program uses to set up one execution: its state, objects, threads, checks.
class Builder {
 public:
  template <class T, class... Args>
  T& make(Args&&... args) {
    auto p = std::make_shared<T>(std::forward<Args>(args)...);
    T& ref = *p;
    Executor::StateObject o{std::move(p)};
    if constexpr (std::is_copy_constructible_v<T> && std::is_copy_assignable_v<T>) {
      o.clone = [](const void* from) -> std::shared_ptr<void> { return std::make_shared<T>(*static_cast<const T*>(from)); };
      o.assign = [](void* to, const void* from) { *static_cast<T*>(to) = *static_cast<const T*>(from); };
    }
    exec_.state_.push_back(std::move(o));
    return ref;
  }
  ObjectId object(std::string name);
  Mutex mutex(std::string name);
  RwSem rwsem(std::string name);
  void thread(std::string name, std::function<void(Thread&)> body);
  // A thread that serves the others and need not finish (an I/O completion
  // worker waiting for work): the execution ends when every other thread
  // has finished and no background thread can move. Waiting then is not a
  // deadlock; a background thread that can move still runs first.
  void background_thread(std::string name, std::function<void(Thread&)> body);
  // Checked after every step; `reads` are the objects it consults.
  void invariant(std::string name, Check check, std::vector<ObjectId> reads = {});
  // Checked once when every thread has finished.
  void final_check(std::string name, Check check);
  void dump(std::function<StateDump()> dump);
  // Opt in to state caching: a hash of all model state that decides what
  // the threads can still do and what the checks will say (docs/engine.md).
  void state_hash(std::function<uint64_t()> hash);
  // With state caching and Executor::observe_reads, the value of a plain
  // object as a hash. Before each step the engine folds the values of the
  // objects the step declares into its thread's history: a thread's locals
  // can only come from what its steps read, so they need no
  // Thread::set_locals_hash.
  void object_hash(std::function<uint64_t(ObjectId)> hash);
  // In place of state_hash and object_hash, for a program whose whole state
  // is its plain objects' values, and whose steps change only the objects
  // they declare updating or writing: `hash` is an object's value, and the
  // state hash is kept up to date by hashing again, after each step, only
  // what it declared (ExecutorOptions::check_footprints tests the promise).
  void object_state(std::function<uint64_t(ObjectId)> hash);
  // With object_state: the threads of each group run the same code on the
  // same inputs, each writing data of its own (docs/engine.md, "Identical
  // threads"), and the checks cannot tell them apart, so a state and the
  // same state with the group's threads renamed have the same futures up
  // to that renaming: state_key() gives them one key. `own_data(t)` hashes
  // where thread t's data is in the state, in words that do not name t
  // (which object, which part, which of t's writes); `renamed(o, order)`
  // is object o's hash with each thread t's data written as thread
  // order[t]'s — object_state's hash when order is the identity. A
  // thread's locals hash must not hold its own data's names either.
  void symmetric(std::vector<std::vector<ThreadId>> groups, std::function<uint64_t(ThreadId)> own_data,
                 std::function<uint64_t(ObjectId, const ThreadOrder&)> renamed);
  // Opt in to resuming executions from saved states (docs/engine.md,
  // "Restoring a state"): everything an execution changes lives in objects
  // from make() — copy-assignable, copied back into the same object, so
  // storage of the same size stays where it is — and on the threads'
  // stacks, which must own nothing (the rule for model code). Thread bodies
  // and checks change nothing they capture.
  void restorable() { exec_.restorable_ = true; }

 private:
  friend class Executor;
  explicit Builder(Executor& exec) : exec_(exec) {}
  Executor& exec_;
};

}  // namespace fsmc
