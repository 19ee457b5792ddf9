// The states a stateful search has explored: state key -> the sleep set it
// was explored with. Open addressing with linear probing over two flat
// arrays, 12 bytes a slot, at most 3/4 full: 16-24 bytes a state, against
// ~50 for std::unordered_map's nodes. Keys are already well mixed hashes, so
// their low bits index the table. Key 0 marks an empty slot; a state whose
// key is 0 is stored as 1 (one more 2^-64 chance of a collision).
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
  // The value stored for `key`, and whether it was just added as `value`.
  std::pair<Value*, bool> try_emplace(uint64_t key, Value value) {
    if ((size_ + 1) * 4 > keys_.size() * 3) grow();
    key = key ? key : 1;
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (keys_[i] == key) return {&sleep_[i], false};
      if (keys_[i] == 0) {
        keys_[i] = key;
        sleep_[i] = value;
        ++size_;
        return {&sleep_[i], true};
      }
    }
  }
  uint64_t size() const { return size_; }
  // Bytes held now, or, when the table is close to growing (the last tenth
  // before its 3/4 load), what it will hold at the growth's peak: the old
  // and the new table together.
  uint64_t bytes_needed() const {
    uint64_t held = keys_.size() * slot_bytes;
    bool growing_soon = size_ * 40 >= keys_.size() * 27;
    return growing_soon ? held + (keys_.empty() ? 4096 : keys_.size() * 2) * slot_bytes : held;
  }

 private:
  void grow() {
    std::vector<uint64_t> keys(keys_.empty() ? 4096 : keys_.size() * 2, 0);
    std::vector<Value> sleep(keys.size());
    std::size_t mask = keys.size() - 1;
    for (std::size_t j = 0; j < keys_.size(); ++j) {
      if (!keys_[j]) continue;
      std::size_t i = keys_[j] & mask;
      while (keys[i]) i = (i + 1) & mask;
      keys[i] = keys_[j];
      sleep[i] = sleep_[j];
    }
    keys_.swap(keys);
    sleep_.swap(sleep);
  }

  static constexpr uint64_t slot_bytes = sizeof(uint64_t) + sizeof(Value);
  std::vector<uint64_t> keys_;
  std::vector<Value> sleep_;
  uint64_t size_ = 0;
};

using VisitedStates = VisitedTable<ThreadMask>;

}  // namespace fsmc
