// The states a stateful search has explored: state key -> the sleep set it
// was explored with. Open addressing with linear probing, Robin Hood
// ordered (an entry further from its home slot than the one it meets takes
// that one's place), at most 3/4 full, over one flat array of 8-byte slots:
// 11-21 bytes a state, against ~50 for std::unordered_map's nodes.
//
// A slot holds a key without the bits its place tells (quotienting): the
// slot an entry sits in, less its distance from home, gives the key's low
// bits, and a table whose keys share their top bits (a stripe of
// SharedStates) stores none of those either. What is left of the key, the
// distance, the sleep set and a flag fit in 64 bits, and no key bit is
// lost (SlotLayout::lossless): the table tells keys apart as a table of
// whole keys would.
#pragma once

#include <cstdint>
#include <utility>

#include "search/path.hpp"
#include "search/slot_memory.hpp"

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

// How a table packs an entry into a slot, from the top: the key's bits
// above the slot index (less the shared top bits), the distance from the
// home slot plus one (0 marks an empty slot), the sleep set, the flag.
struct SlotLayout {
  unsigned value_bits;    // a sleep set's first threads; later threads are kept as asleep (explored again: sound)
  bool flagged;           // one bit more for the caller
  unsigned shared_bits;   // top key bits every key of the table has alike
  unsigned first_bits;    // the first table has 2^first_bits slots
  static constexpr unsigned distance_bits = 6;
  static constexpr uint64_t distance_mask = (uint64_t{1} << distance_bits) - 1;
  static constexpr unsigned max_distance = distance_mask - 1;  // further, the table grows
  // The threads whose sleep state a slot keeps.
  constexpr ThreadMask value_mask() const {
    return value_bits >= 32 ? ~ThreadMask{0} : (ThreadMask{1} << value_bits) - 1;
  }
  constexpr unsigned payload_bits() const { return value_bits + flagged; }
  constexpr unsigned remainder_bits() const { return 64 - distance_bits - payload_bits(); }
  // The smallest table keeps every key bit its index does not tell.
  constexpr bool lossless() const { return shared_bits + first_bits + remainder_bits() >= 64; }
};

class VisitedTable {
 public:
  explicit VisitedTable(SlotLayout layout) : layout_(layout) {}

  // A stored state: its sleep set and flag, in its slot (valid until the next insertion).
  class Entry {
   public:
    ThreadMask value() const { return sleep_of(*slot_, layout_); }
    // Keeps asleep only the threads also asleep in `sleep`.
    void narrow(ThreadMask sleep) {
      *slot_ &= ~(static_cast<uint64_t>(layout_.value_mask() & ~sleep) << layout_.flagged);
    }
    bool flag() const { return layout_.flagged && (*slot_ & 1); }
    void set_flag() {
      if (layout_.flagged) *slot_ |= 1;
    }

   private:
    friend class VisitedTable;
    Entry(uint64_t* slot, const SlotLayout& layout) : slot_(slot), layout_(layout) {}
    uint64_t* slot_;
    const SlotLayout& layout_;
  };

  // The entry of `key`, and whether it was just added with sleep set `value`.
  std::pair<Entry, bool> try_emplace(uint64_t key, ThreadMask value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (;;) {
      Probe p = probe(key & mask(), remainder(key), true);
      if (p.found) return {Entry(&slots_.data()[p.index], layout_), false};
      if (!p.overflow && shift_in(p, payload(value))) {
        ++size_;
        return {Entry(&slots_.data()[p.index], layout_), true};
      }
      grow();  // an entry would sit too far from home: rare, for well mixed keys
    }
  }
  // Starts loading the slot where `key`'s probe begins, for a try_emplace
  // soon after to find it in cache (a probe misses it nearly every time).
  void prefetch(uint64_t key) const { prefetch(address(), mask(), key); }
  // The same, from what a table that others may be growing at the time
  // said of itself last (address() of its slots and mask()): reading a
  // table that is being regrown is not allowed, an address is just a number,
  // and a prefetch of memory no longer the table's is only a wasted load.
  static void prefetch(uintptr_t address, std::size_t mask, uint64_t key) {
    if (address) __builtin_prefetch(reinterpret_cast<const void*>(address + (key & mask) * sizeof(uint64_t)));
  }
  uintptr_t address() const { return reinterpret_cast<uintptr_t>(slots_.data()); }
  std::size_t mask() const { return slots_.size() ? slots_.size() - 1 : 0; }
  uint64_t size() const { return size_; }
  // Calls f(key, value) for every state stored; keys come back whole but
  // for the layout's shared top bits, which are 0.
  template <class F>
  void for_each(F f) const {
    const uint64_t* s = slots_.data();
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (s[i]) f(key_bits(s[i], i), sleep_of(s[i], layout_));
  }
  // Bytes held now, or, when the table is close to growing (the last tenth
  // before its 3/4 load), what it will hold at the growth's peak: the old
  // and the new table together.
  uint64_t bytes_needed() const { return growing_soon() ? bytes() + bytes_grown() : bytes(); }
  uint64_t bytes() const { return slots_.size() * sizeof(uint64_t); }
  // Bytes held once grown, when close to growing; else now.
  uint64_t bytes_grown() const { return growing_soon() ? grown() * sizeof(uint64_t) : bytes(); }
  bool growing_soon() const { return size_ * 40 >= slots_.size() * 27; }

 private:
  struct Probe {
    std::size_t index;  // where the key is, or where it goes
    uint64_t id;        // the slot's top bits for the key there: remainder and distance + 1
    bool found = false;
    bool overflow = false;  // it would go further from home than a slot can say
  };
  unsigned bits() const { return static_cast<unsigned>(__builtin_ctzll(slots_.size())); }
  std::size_t grown() const { return slots_.size() ? slots_.size() * 2 : std::size_t{1} << layout_.first_bits; }
  unsigned id_shift() const { return layout_.payload_bits(); }
  uint64_t remainder(uint64_t key) const { return (key << layout_.shared_bits) >> (layout_.shared_bits + bits()); }
  uint64_t payload(ThreadMask value) const { return uint64_t{value & layout_.value_mask()} << layout_.flagged; }
  // The sleep set a slot keeps, with every thread past the layout's value_bits asleep.
  static ThreadMask sleep_of(uint64_t slot, const SlotLayout& layout) {
    return (static_cast<ThreadMask>(slot >> layout.flagged) & layout.value_mask()) | ~layout.value_mask();
  }
  static uint64_t distance(uint64_t id) { return (id & SlotLayout::distance_mask) - 1; }
  // The key's bits below the shared ones, from its slot at `index`.
  uint64_t key_bits(uint64_t slot, std::size_t index) const {
    uint64_t id = slot >> id_shift();
    uint64_t home = (index - distance(id)) & mask();
    return (id >> SlotLayout::distance_bits) << bits() | home;
  }
  // From the home slot on, in Robin Hood order: the slot of the entry
  // with this remainder (when `match`), else the slot an entry with it goes in.
  Probe probe(std::size_t home, uint64_t remainder, bool match) const {
    const uint64_t* s = slots_.data();
    uint64_t want = remainder << SlotLayout::distance_bits | 1;
    for (std::size_t i = home;; i = (i + 1) & mask()) {
      uint64_t id = s[i] >> id_shift();
      if (match && id == want) return {i, want, true};
      // An empty slot (0), or an entry nearer its home than this one would be.
      if ((id & SlotLayout::distance_mask) < (want & SlotLayout::distance_mask))
        return {i, want};
      if (distance(want) == SlotLayout::max_distance) return {i, want, false, true};
      ++want;
    }
  }
  // Puts the entry at p.index, moving the run of entries from there to the
  // next empty slot one slot on; false, changing nothing, if one of them
  // would then be too far from home.
  bool shift_in(const Probe& p, uint64_t payload) {
    uint64_t* s = slots_.data();
    std::size_t end = p.index;
    for (; s[end]; end = (end + 1) & mask())
      if (distance(s[end] >> id_shift()) == SlotLayout::max_distance) return false;
    for (; end != p.index; end = (end - 1) & mask()) s[end] = s[(end - 1) & mask()] + (uint64_t{1} << id_shift());
    s[p.index] = p.id << id_shift() | payload;
    return true;
  }
  void grow();

  SlotLayout layout_;
  SlotMemory slots_;
  uint64_t size_ = 0;
};

// The serial search's table: sleep sets of the first 8 threads exactly,
// no flag; a first table of 16,384 slots, from where no key bit is lost.
inline constexpr SlotLayout serial_layout{.value_bits = 8, .flagged = false, .shared_bits = 0, .first_bits = 14};
static_assert(serial_layout.lossless());

}  // namespace fsmc
