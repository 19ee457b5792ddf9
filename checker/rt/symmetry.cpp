// Identical threads (Builder::symmetric): the order state_key() renames a
// state's interchangeable threads into, so that states that differ only by
// which of them is which get one key (docs/engine.md, "Identical threads").
//
// Within a group, threads are placed by their share of the key (where they
// are, their locals, the locks they hold), then by where their own data is
// in the model (Builder::symmetric's own_data). Neither names the thread, so
// a thread of a state and its image in a renamed state are placed alike,
// and all renamings of a state get the same order back: one key. Two
// threads equal in both are interchangeable in this very state (a thread's
// data is where no other's is, so theirs is nowhere), and either order
// gives the same key.
#include <cassert>

#include "rt/executor.hpp"

namespace fsmc {

bool Executor::keys_rename_threads() const {
  // Histories under observe_reads hold what the threads read, and ordered
  // reach goals which threads are in their window: both name threads.
  return !symmetric_.empty() && own_data_ && renamed_hash_ && options_.symmetry && objects_keyed_ && !observe_reads_ &&
         !coverage_.ordered();
}

bool Executor::canonical_order(const std::array<uint64_t, max_threads>& keys) const {
  for (ThreadId t = 0; t < max_threads; ++t) order_[t] = t;
  if (!keys_rename_threads()) return false;
  std::array<uint64_t, max_threads> own{};
  std::array<bool, max_threads> known{};
  auto own_data = [&](ThreadId t) {
    if (!known[t]) {
      own[t] = own_data_(t);
      known[t] = true;
    }
    return own[t];
  };
  auto before = [&](ThreadId a, ThreadId b) {
    if (keys[a] != keys[b]) return keys[a] < keys[b];
    return own_data(a) < own_data(b);  // computed only to break a tie
  };
  bool renamed = false;
  std::array<ThreadId, max_threads> sorted;
  for (const std::vector<ThreadId>& group : symmetric_) {
    std::size_t n = group.size();
    for (std::size_t i = 0; i < n; ++i) {  // insertion sort: groups are small, and ties keep thread order
      std::size_t j = i;
      for (; j > 0 && before(group[i], sorted[j - 1]); --j) sorted[j] = sorted[j - 1];
      sorted[j] = group[i];
    }
    for (std::size_t i = 0; i < n; ++i) {
      order_[sorted[i]] = group[i];
      renamed |= sorted[i] != group[i];
    }
  }
  return renamed;
}

uint64_t Executor::renamed_objects_key() const {
  assert(objects_keyed_ && renamed_hash_);
  uint64_t sum = 0;
  for (ObjectId o = 0; o < objects_.size(); ++o)
    if (objects_[o].kind == ObjectKind::plain) sum += object_term(o, renamed_hash_(o, order_));
  return sum;
}

}  // namespace fsmc
