// Non-vacuity: which step ids (Op::point: W1, E5, M12, ...) a search
// performed, and whether it met its reach goals. The executor calls
// announce() when a thread announces a step and performed() when the step
// runs; the set of ids reached is the union over every execution, which
// stays right under state caching: a pruned subtree's steps were performed
// when it was first explored.
//
// A goal with a window ("step S after a thread's A and before that thread's
// next B") depends on the order of steps, so two things keep a reduced
// search from hiding it (docs/engine.md, "Reach goals"):
// - which threads are inside the window is part of the state key (key()):
//   two paths to one model state, one inside the window and one not, must
//   not be merged;
// - every step with id S, A or B is announced with a write of one extra
//   object, so the reductions never treat two of them as independent and
//   explore each order of them that can happen.
// Both only apply when some goal has a window: other searches key and
// reduce exactly as without goals.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "rt/op.hpp"

namespace fsmc {

struct ReachGoal {
  std::string step;    // some execution performs a step with this id ...
  std::string after;   // ... while a thread has performed `after` (empty: any time) ...
  std::string before;  // ... and not yet its next `before` (empty: the window never closes)
};

class Coverage {
 public:
  // Starts a search: nothing reached, these goals open.
  void reset(const std::vector<ReachGoal>& goals);
  // Some goal has a window: state keys and dependence take the goals into account.
  bool ordered() const { return !windows_.empty(); }
  // The extra object the goal-relevant steps write (Executor::build creates it).
  void set_goal_object(ObjectId o) { goal_object_ = o; }

  void start_execution();
  // The op thread `t` announces, as the reductions must see it: `op` itself,
  // or a copy that also writes the goal object (valid until t announces again).
  const Op& announce(ThreadId t, const Op& op);
  void performed(ThreadId t, const Op& op);
  // The goal windows' state in this execution, for Executor::state_key.
  uint64_t key() const;
  // This execution's part, for a saved state (Executor::save): who is inside
  // each window, and the announced copies pending ops may point at.
  struct Moment {
    std::vector<uint32_t> inside;
    std::vector<Op> announced;
  };
  void save(Moment& m) const;
  void restore(const Moment& m);

  // Ids performed so far, in the order first reached.
  std::vector<std::string> reached() const;
  // Per goal of reset(), in order: met by some execution so far.
  std::vector<bool> goals_met() const;

 private:
  static constexpr uint32_t none = UINT32_MAX;
  struct Window {
    uint32_t goal, step, after, before;  // goal index; interned ids
    uint32_t inside = 0;                 // threads between `after` and `before` (bit t)
  };
  // The id's index in ids_, learned once per string literal (none for "").
  uint32_t intern(const char* point);
  uint32_t intern(const std::string& id);
  bool relevant(uint32_t id) const;

  std::vector<std::string> ids_;
  std::vector<bool> reached_;  // per interned id
  std::vector<uint32_t> order_;  // interned ids in the order first reached
  std::array<std::pair<const char*, uint32_t>, 256> cache_{};  // Op::point pointer -> id
  std::vector<uint32_t> plain_;    // goal index -> its step's id, for goals without a window (else none)
  std::vector<Window> windows_;
  std::vector<bool> met_;  // per goal
  std::vector<Op> announced_;  // per thread (max_threads of them): the copy announce() returned
  ObjectId goal_object_ = no_object;
};

// What several searches reached together (workers, or the rounds beside
// the proof): `from`'s step ids not yet in `into` appended, and the goals
// either met.
void add_reached(std::vector<std::string>& into, const std::vector<std::string>& from);
void add_goals_met(std::vector<bool>& into, const std::vector<bool>& from);

}  // namespace fsmc
