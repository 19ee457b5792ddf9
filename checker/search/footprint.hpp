// What a step touches, as the reduction sees it: read and write sets over
// object ids (folded into 256 bits — a collision only adds dependence, which
// is safe), plus what kind of lock step it is, as its primitive says
// (sync/primitive.hpp).
#pragma once

#include <bitset>
#include <vector>

#include "rt/op.hpp"

namespace fsmc {

class Executor;

struct Footprint {
  static constexpr std::size_t bits = 256;
  std::bitset<bits> reads, updates, writes;
  ObjectId lock = no_object;
  bool acquire = false;  // may block on the lock
  bool release = false;  // may unblock it
  bool trylock = false;
  bool shared = false;   // commutes with the lock's other shared steps
  uint64_t summary = 0;  // bit i set when some object folded to i mod 64 is touched

  void add_write(ObjectId o);

  // Two steps of different threads that do not commute.
  bool conflicts(const Footprint& o) const {
    if (!(summary & o.summary)) return false;  // most pairs: nothing in common
    if (shared && o.shared && lock == o.lock) return without_lock().data_conflicts(o.without_lock());
    return data_conflicts(o);
  }
  // As conflicts(), but a release and another operation on the same lock do
  // not race: the only order to try is the two acquisitions' (see dpor.cpp).
  bool races(const Footprint& o) const;

 private:
  bool data_conflicts(const Footprint& o) const {
    return (writes & (o.reads | o.updates | o.writes)).any() || (o.writes & (reads | updates)).any() ||
           (updates & o.reads).any() || (o.updates & reads).any();
  }
  Footprint without_lock() const;
};

// Per-step invariants read objects too. A step that writes an object some
// invariant consults is treated as reading everything that invariant
// consults, so orders that could expose a transient violation stay apart.
// A search that visits every reachable state (stateful search with sleep
// sets) needs none of this and passes `couple = false`.
class InvariantCoupling {
 public:
  explicit InvariantCoupling(const Executor& exec, bool couple = true);
  Footprint of(const Op& op) const;

 private:
  std::vector<std::bitset<Footprint::bits>> extra_;  // per folded object id
  std::vector<uint64_t> extra_summary_;              // the same, as Footprint::summary bits
  bool couple_all_ = false;  // an invariant that did not say what it reads
};

}  // namespace fsmc
