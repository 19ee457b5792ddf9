// The states a stateful search has explored: state key -> the sleep set it
// was explored with. Open addressing with linear probing over one flat
// array of packed slots (a key and its value side by side, 12 bytes for a
// sleep set: a probe that finds its key has the value in the same cache
// line, where two arrays cost a second miss), at most 3/4 full: 16-24
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

// `Value`: what is kept per state (the sleep set it was explored with, for
// the serial search).
template <class Value>
class VisitedTable {
 public:
  // How `key` is stored (0 marks an empty slot).
  static uint64_t stored(uint64_t key) { return key ? key : 1; }
  // The value stored for `key`, and whether it was just added as `value`.
  std::pair<Value*, bool> try_emplace(uint64_t key, Value value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    key = stored(key);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.key == key) return {&slot.value, false};
      if (slot.key == 0) {
        slot.key = key;
        slot.value = value;
        ++size_;
        return {&slot.value, true};
      }
    }
  }
  uint64_t size() const { return size_; }
  // Calls f(stored(key), value) for every state stored.
  template <class F>
  void for_each(F f) const {
    for (const Slot& slot : slots_)
      if (slot.key) f(slot.key, slot.value);
  }
  // Bytes held now, or, when the table is close to growing (the last tenth
  // before its 3/4 load), what it will hold at the growth's peak: the old
  // and the new table together.
  uint64_t bytes_needed() const {
    uint64_t held = slots_.size() * sizeof(Slot);
    bool growing_soon = size_ * 40 >= slots_.size() * 27;
    return growing_soon ? held + (slots_.empty() ? 4096 : slots_.size() * 2) * sizeof(Slot) : held;
  }

 private:
#pragma pack(push, 4)
  struct Slot {
    uint64_t key = 0;
    Value value{};
  };
#pragma pack(pop)

  void grow() {
    std::vector<Slot> slots(slots_.empty() ? 4096 : slots_.size() * 2);
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
