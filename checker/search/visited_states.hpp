// The states a stateful search has explored: state key -> the sleep set it
// was explored with. Open addressing with linear probing over one flat
// array of packed slots (a key and its value side by side, 12 bytes for a
// sleep set: a probe that finds its key has the value in the same cache
// line, where two arrays cost a second miss), at most 3/4 full: 16-32
// bytes a state, against ~50 for std::unordered_map's nodes. Keys are
// already well mixed hashes, so their low bits index the table. Key 0
// marks an empty slot; a state whose key is 0 is stored as 1 (one more
// 2^-64 chance of a collision).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "search/sleep.hpp"

namespace fsmc {

// States are told apart by their 64-bit keys alone (hash compaction): a
// state whose key equals a stored one's is taken for it and pruned. With
// n states stored, some two collided with odds of at most n(n-1)/2 / 2^64
// (for keys that behave as random).
inline double collision_odds(uint64_t states) {
  double n = static_cast<double>(states);
  return n * (n - 1) / 2 / 18446744073709551616.0;
}
// The most states a search stores before it stops (StopReason::states):
// past it those odds pass 1 in 100, and a pass would not be a proof.
inline constexpr double max_collision_odds = 0.01;
inline constexpr uint64_t max_states = 607'400'100;  // the largest n within the odds (a test checks it)

// `Value`: what is kept per state (the sleep set it was explored with, for
// the serial search). `Flagged`: each slot keeps one bit more for its
// caller, in the top bit of the stored key. Only for a caller whose keys in
// one table all have the same top bit (SharedStates' stripes: keys of equal
// top six bits), so that the bit tells no two keys apart and the flag costs
// neither memory nor key bits.
template <class Value, bool Flagged = false>
class VisitedTable {
  static constexpr uint64_t flag_bit = Flagged ? uint64_t{1} << 63 : 0;

 public:
#pragma pack(push, 4)
  struct Slot {
    uint64_t key = 0;  // stored(key), and the flag
    Value value{};
    bool flag() const { return key & flag_bit; }
    void set_flag() { key |= flag_bit; }
  };
#pragma pack(pop)

  // How `key` is stored (0 marks an empty slot).
  static uint64_t stored(uint64_t key) {
    key &= ~flag_bit;
    return key ? key : 1;
  }
  // The slot of `key`, and whether it was just added with `value`.
  std::pair<Slot*, bool> try_emplace(uint64_t key, Value value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    key = stored(key);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if ((slot.key & ~flag_bit) == key) return {&slot, false};
      if (slot.key == 0) {
        slot.key = key;
        slot.value = value;
        ++size_;
        return {&slot, true};
      }
    }
  }
  // Starts loading the slot where `key`'s probe begins, for a try_emplace
  // soon after to find it in cache (a probe misses it nearly every time).
  void prefetch(uint64_t key) const {
    if (!slots_.empty()) prefetch(address(), mask(), key);
  }
  // The same, from what a table that others may be growing at the time
  // said of itself last (address() of its slots and mask()): reading a
  // table that is being regrown is not allowed, an address is just a number,
  // and a prefetch of memory no longer the table's is only a wasted load.
  static void prefetch(uintptr_t address, std::size_t mask, uint64_t key) {
    __builtin_prefetch(reinterpret_cast<const void*>(address + (stored(key) & mask) * sizeof(Slot)));
  }
  uintptr_t address() const { return reinterpret_cast<uintptr_t>(slots_.data()); }
  std::size_t mask() const { return slots_.empty() ? 0 : slots_.size() - 1; }
  uint64_t size() const { return size_; }
  // Calls f(stored(key), value) for every state stored.
  template <class F>
  void for_each(F f) const {
    for (const Slot& slot : slots_)
      if (slot.key) f(slot.key & ~flag_bit, slot.value);
  }
  // Bytes held now, or, when the table is close to growing (the last tenth
  // before its 3/4 load), what it will hold at the growth's peak: the old
  // and the new table together.
  uint64_t bytes_needed() const { return growing_soon() ? bytes() + bytes_grown() : bytes(); }
  uint64_t bytes() const { return slots_.size() * sizeof(Slot); }
  // Bytes held once grown, when close to growing; else now.
  uint64_t bytes_grown() const { return growing_soon() ? grown() * sizeof(Slot) : bytes(); }
  bool growing_soon() const { return size_ * 40 >= slots_.size() * 27; }

 private:
  std::size_t grown() const { return slots_.empty() ? 4096 : slots_.size() * 2; }
  void grow() {
    std::vector<Slot> slots(grown());
    std::size_t mask = slots.size() - 1;
    for (const Slot& old : slots_) {
      if (!old.key) continue;
      std::size_t i = old.key & mask;
      while (slots[i].key) i = (i + 1) & mask;
      slots[i] = old;
    }
    slots_.swap(slots);
  }

  std::vector<Slot> slots_;
  uint64_t size_ = 0;
};

using VisitedStates = VisitedTable<ThreadMask>;

}  // namespace fsmc
