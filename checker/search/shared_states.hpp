// The visited states of a stateful search run by several workers at once
// (docs/engine.md, "Parallel search"): one table, in stripes each under its
// own lock, so that a state explored by one worker is not explored again by
// another. Each state keeps the sleep set it was explored with (as the
// serial search's VisitedStates) and whether its exploration is over: a
// state another worker is still exploring is not pruned, since what lies
// below it is not known yet — a cycle through it would otherwise be missed.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

#include "search/visited_states.hpp"

namespace fsmc {

class SharedStates {
 public:
  struct Entry {
    ThreadMask sleep = 0;  // explored with this sleep set (narrowed by later visits)
    bool done = false;     // its exploration is over
  };
  struct Visit {
    bool fresh;   // first met now
    Entry before; // what was stored before this visit
  };
  // Meets `key` with sleep set `sleep`: stores it when new, else narrows
  // the stored sleep set to `sleep` (this visit takes what is awake).
  Visit visit(uint64_t key, ThreadMask sleep) {
    Stripe& s = stripe(key);
    std::lock_guard<std::mutex> lock(s.mutex);
    auto [entry, fresh] = s.table.try_emplace(key, sleep);
    Visit v{fresh, {entry.value(), entry.flag()}};
    if (!fresh) entry.narrow(sleep);
    if (fresh) publish(key);  // it may have grown
    return v;
  }
  // VisitedTable::prefetch, without the lock; and the stripe's lock too,
  // to be written.
  void prefetch(uint64_t key) const {
    const Where& w = where_[key >> 58];
    VisitedTable::prefetch(w.address.load(std::memory_order_relaxed), w.mask.load(std::memory_order_relaxed), key);
    __builtin_prefetch(&stripe(key).mutex, 1);
  }
  // A state another search explored whole with sleep set `sleep`.
  void explored(uint64_t key, ThreadMask sleep) {
    Stripe& s = stripe(key);
    std::lock_guard<std::mutex> lock(s.mutex);
    auto [entry, fresh] = s.table.try_emplace(key, sleep);
    if (!fresh) return;
    entry.set_flag();
    publish(key);
  }
  // Every branch below `key` has been explored.
  void done(uint64_t key) {
    Stripe& s = stripe(key);
    std::lock_guard<std::mutex> lock(s.mutex);
    auto [entry, fresh] = s.table.try_emplace(key, 0);
    entry.set_flag();
    if (fresh) publish(key);
  }
  // What the table holds, in one pass over the stripes' locks: the states
  // stored, and the bytes it needs (the stripes' tables once those close
  // to growing have grown, and the largest of those once more, for its
  // growth's peak: the stripes grow one at a time per worker, each a 64th
  // of the whole, not all at once as summing each stripe's own
  // bytes_needed() would count them).
  struct Usage {
    uint64_t states = 0;
    uint64_t bytes_needed = 0;
  };
  Usage usage() {
    Usage u;
    uint64_t peak = 0;
    for (Stripe& s : stripes_) {
      std::lock_guard<std::mutex> lock(s.mutex);
      u.states += s.table.size();
      u.bytes_needed += s.table.bytes_grown();
      if (s.table.growing_soon()) peak = std::max(peak, s.table.bytes());
    }
    u.bytes_needed += peak;
    return u;
  }
  uint64_t size() { return usage().states; }
  uint64_t bytes_needed() { return usage().bytes_needed; }

 private:
  // A state's sleep set (of its first 11 threads), and in the slot's flag
  // whether it is done; a stripe's keys have the same top six bits.
  static constexpr SlotLayout layout{.value_bits = 11, .flagged = true, .shared_bits = 6, .first_bits = 12};
  static_assert(layout.lossless());
  struct alignas(64) Stripe {  // a cache line of its own: the workers lock different stripes at once
    std::mutex mutex;
    VisitedTable table{layout};
  };
  // Where a stripe's slots are, for prefetch(): apart from the stripes,
  // whose lines the workers' locks keep moving from core to core, and
  // written (under the stripe's lock) only when its table has grown.
  struct Where {
    std::atomic<uintptr_t> address{0};
    std::atomic<std::size_t> mask{0};
  };
  // After an insertion into `key`'s stripe, under its lock.
  void publish(uint64_t key) {
    const VisitedTable& table = stripe(key).table;
    Where& w = where_[key >> 58];
    bool same = w.address.load(std::memory_order_relaxed) == table.address() &&
                w.mask.load(std::memory_order_relaxed) == table.mask();
    if (same) return;
    w.address.store(table.address(), std::memory_order_relaxed);
    w.mask.store(table.mask(), std::memory_order_relaxed);
  }
  // Keys are well mixed hashes: their top bits pick the stripe, their low bits the slot in it.
  Stripe& stripe(uint64_t key) { return stripes_[key >> 58]; }
  const Stripe& stripe(uint64_t key) const { return stripes_[key >> 58]; }
  std::array<Stripe, 64> stripes_;
  alignas(64) std::array<Where, 64> where_;
};

}  // namespace fsmc
