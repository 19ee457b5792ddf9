// The handle model code gets: announce a visible operation, then perform it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "rt/op.hpp"

namespace fsmc {

class Executor;

class Thread {
 public:
  ThreadId id() const { return id_; }
  std::string_view name() const;

  // Announce `op` and give the scheduler the choice of who runs next. Returns
  // when this thread is scheduled; the caller then performs the operation.
  // Everything up to the next step() runs atomically. Keep no object with a
  // destructor alive across a step(): an execution that ends early abandons
  // its fibers without unwinding them (see docs/engine.md).
  void step(const Op& op);

  // A nondeterministic value in [0, n): its own step, then a decision.
  uint32_t choose(uint32_t n, const char* function, const char* point = "");

  // State caching (docs/engine.md): a hash of this thread's locals that decide
  // what it does next (values it read, loop counters, where each active
  // function will go on). Set it before a step whenever they change; the
  // engine already knows the step announced, the locks held and what the
  // thread's choose() calls returned. Two threads at the same step with the
  // same hash must have the same future: a local left out merges states
  // that differ, and the search then misses what one of them leads to.
  void set_locals_hash(uint64_t hash);
  // The same, computed only when a state is keyed: `hash` is called then
  // (it must not outlive what it reads; set it once, at the thread's start),
  // and only once the thread has run since: what it reads must change only
  // while the thread runs (its own frames).
  void set_locals_hash(uint64_t (*hash)(const void*), const void* arg);

  // Trace text for the step being performed; `make` runs only when tracing.
  bool tracing() const;
  template <class F>
  void detail(F&& make) {
    if (tracing()) add_detail(std::forward<F>(make)());
  }
  void add_detail(std::string text);

  Executor& executor() const { return *exec_; }

 private:
  friend class Executor;
  Thread(Executor* exec, ThreadId id) : exec_(exec), id_(id) {}
  Executor* exec_;
  ThreadId id_;
};

}  // namespace fsmc
