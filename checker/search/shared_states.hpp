// The visited states of a stateful search run by several workers at once
// (docs/engine.md, "Parallel search"): one table, in stripes each under its
// own lock, so that a state explored by one worker is not explored again by
// another. Each state keeps the sleep set it was explored with (as the
// serial search's VisitedStates) and whether its exploration is over: a
// state another worker is still exploring is not pruned, since what lies
// below it is not known yet — a cycle through it would otherwise be missed.
#pragma once

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
    auto [entry, fresh] = s.table.try_emplace(key, Entry{sleep, false});
    Visit v{fresh, *entry};
    if (!fresh) entry->sleep &= sleep;
    if (fresh) s.published();  // it may have grown
    return v;
  }
  // VisitedTable::prefetch, without the lock.
  void prefetch(uint64_t key) const {
    const Stripe& s = stripe(key);
    uintptr_t address = s.address.load(std::memory_order_relaxed);
    if (address) VisitedTable<Entry>::prefetch(address, s.mask.load(std::memory_order_relaxed), key);
  }
  // A state another search explored whole with sleep set `sleep`.
  void explored(uint64_t key, ThreadMask sleep) {
    Stripe& s = stripe(key);
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.table.try_emplace(key, Entry{sleep, true}).second) s.published();
  }
  // Every branch below `key` has been explored.
  void done(uint64_t key) {
    Stripe& s = stripe(key);
    std::lock_guard<std::mutex> lock(s.mutex);
    auto [entry, fresh] = s.table.try_emplace(key, Entry{});
    entry->done = true;
    if (fresh) s.published();
  }
  uint64_t size() {
    return sum([](const auto& table) { return table.size(); });
  }
  uint64_t bytes_needed() {
    return sum([](const auto& table) { return table.bytes_needed(); });
  }

 private:
  // `of(table)` summed over the stripes, each read under its lock.
  template <class Of>
  uint64_t sum(Of of) {
    uint64_t n = 0;
    for (Stripe& s : stripes_) {
      std::lock_guard<std::mutex> lock(s.mutex);
      n += of(s.table);
    }
    return n;
  }
  struct alignas(64) Stripe {  // a cache line of its own: the workers lock different stripes at once
    std::mutex mutex;
    VisitedTable<Entry> table;
    // Where the table's slots are, for prefetch() (written under the lock).
    std::atomic<uintptr_t> address{0};
    std::atomic<std::size_t> mask{0};
    void published() {
      address.store(table.address(), std::memory_order_relaxed);
      mask.store(table.mask(), std::memory_order_relaxed);
    }
  };
  // Keys are well mixed hashes: their top bits pick the stripe, their low bits the slot in it.
  Stripe& stripe(uint64_t key) { return stripes_[key >> 58]; }
  const Stripe& stripe(uint64_t key) const { return stripes_[key >> 58]; }
  std::array<Stripe, 64> stripes_;
};

}  // namespace fsmc
