#include "search/visited_states.hpp"

namespace fsmc {

// Into a table twice the size, or larger still if an entry would sit too
// far from home in it (never seen with well mixed keys).
void VisitedTable::grow() {
  for (std::size_t slots = grown();; slots *= 2) {
    VisitedTable next(layout_);
    next.slots_ = SlotMemory(slots);
    bool placed = true;
    const uint64_t* s = slots_.data();
    for (std::size_t i = 0; placed && i < slots_.size(); ++i) {
      if (!s[i]) continue;
      uint64_t key = key_bits(s[i], i);
      Probe p = next.probe(key & next.mask(), next.remainder(key), false);
      placed = !p.overflow && next.shift_in(p, s[i] & ((uint64_t{1} << id_shift()) - 1));
    }
    if (!placed) continue;
    next.size_ = size_;
    slots_.swap(next.slots_);
    return;
  }
}

}  // namespace fsmc
