// The model's share of a state key for a program whose state is its plain
// objects (Builder::object_state): a sum of one term per object, so that a
// step's change is folded in by hashing again only the objects it declared
// updating or writing — a few of a model's dozens, where hashing the whole
// state at every new state took a third of the stateful search's time.
#include "rt/executor.hpp"
#include "rt/hash.hpp"

namespace fsmc {

uint64_t Executor::object_term(ObjectId o, uint64_t value) {
  // Through the whole finaliser, with a seed per object: the sum must not
  // confuse one object's value with another's (fold(o, v) depends on o ^ v).
  return mix(mix(0, o), value);
}

uint64_t Executor::object_term(ObjectId o) const {
  if (objects_[o].kind != ObjectKind::plain) return 0;  // lock states are keyed apart
  return object_term(o, object_hash_(o));
}

void Executor::key_all_objects() {
  object_terms_.resize(objects_.size());
  objects_key_ = 0;
  for (ObjectId o = 0; o < objects_.size(); ++o) {
    object_terms_[o] = object_term(o);
    objects_key_ += object_terms_[o];
  }
  objects_key_valid_ = true;
}

void Executor::rekey_written(ThreadId t, const Op& before) {
  auto rekey = [&](ObjectId o) {
    uint64_t term = object_term(o);
    objects_key_ += term - object_terms_[o];
    object_terms_[o] = term;
  };
  for (unsigned i = 0; i < before.n_ranges; ++i) {
    const Access& a = before.accesses[i];
    if (a.kind == AccessKind::read) continue;
    for (ObjectId o = a.first; o != a.end(); ++o) rekey(o);
  }
  if (!options_.check_footprints) return;
  for (ObjectId o = 0; o < objects_.size(); ++o) {
    if (object_term(o) == object_terms_[o]) continue;
    std::string step = before.function;
    if (*before.point) step += std::string(" ") + before.point;
    undeclared_writes_.push_back(slots_[t].name + "'s step " + step + " changed " + objects_[o].name +
                                 " without declaring it");
    rekey(o);
  }
}

}  // namespace fsmc
