// A visible operation: what a model thread announces before the scheduler
// lets it run. The engine decides enabledness and dependence from it alone.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fsmc {

using ThreadId = uint32_t;
using ObjectId = uint32_t;
inline constexpr ThreadId no_thread = UINT32_MAX;
inline constexpr ObjectId no_object = UINT32_MAX;
// The searches keep sets of threads as 32-bit masks; Builder::thread refuses more.
inline constexpr uint32_t max_threads = 32;

enum class OpKind : uint8_t {
  access,      // read and/or write of model objects (see Op::accesses)
  lock,        // Mutex
  trylock,
  unlock,
  down_read,   // RwSem, Linux rw_semaphore semantics
  down_write,
  up_read,
  up_write,
  downgrade,
  wait,        // block until Op::ready holds (e.g. a folio's writeback bit clears)
  choose,      // nondeterministic value in [0, Op::choices)
  finish,      // the thread's body returned
};

std::string_view to_string(OpKind kind);

// How a step touches an object. Two `update`s of the same object commute
// (a counter bumped by two threads ends the same either way); anything
// against a `write`, and a `read` against an update, does not.
enum class AccessKind : uint8_t { read, update, write };

// A run of consecutive object ids a step touches the same way. Models lay
// out per-page objects contiguously, so a step over a range of pages is one
// Access however many pages it covers.
struct Access {
  ObjectId first = no_object;
  uint32_t count = 0;
  AccessKind kind = AccessKind::read;

  bool contains(ObjectId o) const { return o >= first && o - first < count; }
  ObjectId end() const { return first + count; }
};

// A predicate for OpKind::wait without allocation: a function pointer and its
// argument (which lives in the waiting thread's suspended frame).
struct Ready {
  bool (*fn)(const void*) = nullptr;
  const void* arg = nullptr;
  bool operator()() const { return fn(arg); }
};

struct Op {
  // Ranges kept exactly, sorted and disjoint. A step that would need more
  // is widened: the two closest ranges become one covering the objects in
  // between (as written if their kinds differ). That only adds dependence,
  // which every reduction treats safely, so no declaration can overflow.
  static constexpr unsigned max_ranges = 6;

  OpKind kind = OpKind::finish;
  ObjectId object = no_object;  // the lock, the waited-on object, or the main object accessed
  const char* function = "";    // model function named after the kernel's, for the trace
  const char* point = "";       // step id within it (W1, B6, M12, ...: docs/kernel-steps.md)
  uint8_t n_ranges = 0;
  std::array<Access, max_ranges + 2> accesses{};  // objects this step reads/writes (dependence); [0, n_ranges)
  Ready ready{};                // wait
  uint32_t choices = 0;         // choose

  Op& reads(ObjectId o) { return touch(o, AccessKind::read); }
  Op& updates(ObjectId o) { return touch(o, AccessKind::update); }
  Op& writes(ObjectId o) { return touch(o, AccessKind::write); }
  Op& reads(ObjectId first, uint32_t count) { return touch(first, count, AccessKind::read); }
  Op& updates(ObjectId first, uint32_t count) { return touch(first, count, AccessKind::update); }
  Op& writes(ObjectId first, uint32_t count) { return touch(first, count, AccessKind::write); }
  Op& touch(ObjectId o, AccessKind kind) { return touch(o, 1, kind); }
  Op& touch(ObjectId first, uint32_t count, AccessKind kind);

  // The range that declares `o`, or nullptr.
  const Access* declared(ObjectId o) const {
    for (unsigned i = 0; i < n_ranges; ++i)
      if (accesses[i].contains(o)) return &accesses[i];
    return nullptr;
  }
  // One past the largest object id declared (0 if none).
  ObjectId declared_end() const { return n_ranges ? accesses[n_ranges - 1].end() : 0; }

  // Calls f(object, kind) for every object declared, in increasing id order.
  template <class F>
  void for_each_access(F&& f) const {
    for (unsigned i = 0; i < n_ranges; ++i)
      for (ObjectId o = accesses[i].first; o != accesses[i].end(); ++o) f(o, accesses[i].kind);
  }

 private:
  void add(ObjectId o, AccessKind kind);
  void insert(unsigned at, Access a);
  void erase(unsigned at);
  void normalize();
};

}  // namespace fsmc
