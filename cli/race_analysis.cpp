#include "cli/race_analysis.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "model/object_value.hpp"
#include "model/program.hpp"
#include "search/continuations.hpp"
#include "search/footprint.hpp"
#include "search/recorder.hpp"
#include "search/replay.hpp"
#include "sync/primitive.hpp"

namespace fsmc::cli {

namespace {

// A continuation search per probe of the point of no return stops here.
constexpr uint64_t continuation_cap = 5'000;
// Beyond this many steps (a step_limit trace, say) the searches, the
// minimisation and the missing order, which replay prefixes or compare
// steps pairwise, are not attempted.
constexpr std::size_t analysed_steps = 1'000;

struct Replayed {
  std::vector<Event> events;
  std::vector<TraceStep> steps;
  StateDump state;
  bool violated = false;  // the invariant broke after exactly all decisions
};

Replayed replay_traced(Executor& exec, const std::vector<uint32_t>& decisions, const std::string& invariant) {
  exec.check_only({invariant});
  Replay strategy(decisions);
  Recorder recorded(strategy);
  recorded.next_execution();
  const RunResult& r = exec.run(recorded, {.tracing = true, .keep_going = false});
  Replayed out{recorded.events(), r.trace, r.state, false};
  out.violated = !strategy.diverged() && strategy.consumed() && r.end == RunResult::End::violation &&
                 r.violations.size() == 1 && r.violations[0].invariant == invariant;
  return out;
}

// A step that takes a lock, or tries to.
bool is_acquire(OpKind k) {
  LockStep s = lock_step(k);
  return s.acquire || s.trylock;
}

bool touches(const Op& op, ObjectId o) {
  return op.object == o || op.declared(o);
}

bool writes(const Op& op, ObjectId o) {
  const Access* a = op.declared(o);
  return a && a->kind != AccessKind::read;
}

// Happens-before through locks alone: program order plus each release of a
// lock before a later acquisition of it. Vector clocks, one per step.
std::vector<std::vector<uint32_t>> lock_clocks(const std::vector<Event>& events, std::size_t threads) {
  std::vector<std::vector<uint32_t>> clock(events.size());
  std::vector<std::vector<uint32_t>> now(threads, std::vector<uint32_t>(threads, 0));
  std::map<ObjectId, std::vector<uint32_t>> released;  // per lock, the join of its releases so far
  auto join = [](std::vector<uint32_t>& into, const std::vector<uint32_t>& c) {
    for (std::size_t i = 0; i < into.size(); ++i) into[i] = std::max(into[i], c[i]);
  };
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    std::vector<uint32_t>& c = now[e.thread];
    if (is_acquire(e.op.kind) && released.count(e.op.object)) join(c, released[e.op.object]);
    ++c[e.thread];
    clock[i] = c;
    if (lock_step(e.op.kind).release) {
      std::vector<uint32_t>& r = released[e.op.object];
      r.resize(threads, 0);
      join(r, c);
    }
  }
  return clock;
}

class Analysis {
 public:
  Analysis(const TraceToExplain& t, Executor& exec, Replayed trace)
      : t_(t), exec_(exec), trace_(std::move(trace)), coupling_(exec, false) {
    for (const Event& e : trace_.events) footprints_.push_back(coupling_.of(e.op));
    for (const Event& e : trace_.events) decisions_per_step_.push_back(e.op.kind == OpKind::choose ? 2 : 1);
  }

  Explanation run() {
    Explanation e;
    bool small = size() <= analysed_steps;
    std::set<ObjectId> objects = invariant_objects();
    std::size_t later = last_writer(objects);
    if (auto earlier = raced_with(later, objects)) {
      ObjectId on = shared_object(*earlier, later, objects);
      e.racing_pair = {racing_step(*earlier, on), racing_step(later, on)};
      if (small) e.missing_order = missing_order(*earlier, later);
    }
    if (t_.no_return && small) {
      no_return(e);
    } else {
      e.no_return_steps = static_cast<uint32_t>(size());
      e.searched = false;
    }
    if (small) {
      minimal(e);
    } else {
      e.minimal_steps = all_steps();
      e.minimal_decisions = t_.decisions;
      e.minimal_trace = trace_.steps;
      e.minimal_state = trace_.state;
    }
    if (t_.states && small)
      for (std::size_t i = 0; i <= size(); ++i) e.states.push_back(state_after(i));
    return e;
  }

  std::vector<uint32_t> all_steps() const {
    std::vector<uint32_t> out;
    for (const TraceStep& s : trace_.steps) out.push_back(s.index);
    return out;
  }

 private:
  std::size_t size() const { return trace_.events.size(); }
  ThreadId thread(std::size_t i) const { return trace_.events[i].thread; }
  const Op& op(std::size_t i) const { return trace_.events[i].op; }

  // What the violated invariant reads: the instances whose declared reads
  // the violating step wrote; for a check without declared reads (at
  // quiescence), the objects its message names.
  std::set<ObjectId> invariant_objects() const {
    std::set<ObjectId> out;
    if (size() == 0) return out;
    const Op& last = op(size() - 1);
    for (const std::vector<ObjectId>& reads : exec_.checked_invariant_reads())
      if (std::any_of(reads.begin(), reads.end(), [&](ObjectId o) { return writes(last, o); }))
        out.insert(reads.begin(), reads.end());
    if (!out.empty()) return out;
    for (ObjectId o = 0; o < objects_count(); ++o) {
      const std::string& name = exec_.object_name(o);
      for (std::size_t at = t_.message.find(name); at != std::string::npos; at = t_.message.find(name, at + 1)) {
        std::size_t end = at + name.size();
        bool word = (at == 0 || !std::isalnum(static_cast<unsigned char>(t_.message[at - 1]))) &&
                    (end == t_.message.size() || !std::isalnum(static_cast<unsigned char>(t_.message[end])));
        if (word) out.insert(o);
      }
    }
    return out;
  }

  ObjectId objects_count() const {
    ObjectId n = 0;
    for (const Event& e : trace_.events) {
      if (e.op.object != no_object) n = std::max(n, e.op.object + 1);
      n = std::max(n, e.op.declared_end());
    }
    return n;
  }

  // The last step that changed an object the invariant reads.
  std::size_t last_writer(const std::set<ObjectId>& objects) const {
    for (std::size_t i = size(); i-- > 0;)
      for (ObjectId o : objects)
        if (writes(op(i), o)) return i;
    return size() - 1;
  }

  bool conflict_on(std::size_t a, std::size_t b, ObjectId o) const {
    return (writes(op(a), o) && touches(op(b), o)) || (writes(op(b), o) && touches(op(a), o));
  }

  // The latest step of another thread before `later` that conflicts with it
  // on one of the invariant's objects, preferring one no lock orders before it.
  std::optional<std::size_t> raced_with(std::size_t later, const std::set<ObjectId>& objects) const {
    std::vector<std::vector<uint32_t>> clock = lock_clocks(trace_.events, exec_.thread_names().size());
    auto ordered = [&](std::size_t a) { return clock[a][thread(a)] <= clock[later][thread(a)]; };
    std::optional<std::size_t> any;
    for (std::size_t i = later; i-- > 0;) {
      if (thread(i) == thread(later)) continue;
      bool on_objects = std::any_of(objects.begin(), objects.end(), [&](ObjectId o) { return conflict_on(i, later, o); });
      if (!on_objects) continue;
      if (!ordered(i)) return i;
      if (!any) any = i;
    }
    if (any) return any;
    for (std::size_t i = later; i-- > 0;)
      if (thread(i) != thread(later) && footprints_[i].conflicts(footprints_[later])) return i;
    return std::nullopt;
  }

  ObjectId shared_object(std::size_t a, std::size_t b, const std::set<ObjectId>& objects) const {
    for (ObjectId o : objects)
      if (conflict_on(a, b, o)) return o;
    std::optional<ObjectId> shared;
    op(b).for_each_access([&](ObjectId o, AccessKind) {
      if (!shared && touches(op(a), o)) shared = o;
    });
    return shared.value_or(op(b).object);
  }

  // The model state after the first `steps` steps.
  StateDump state_after(std::size_t steps) {
    std::vector<uint32_t> prefix = decisions_for(steps);
    Replay strategy(prefix);
    strategy.next_execution();
    exec_.check_only({t_.invariant});
    return exec_.run(strategy, {.tracing = true, .keep_going = false}).state;
  }

  std::vector<uint32_t> decisions_for(std::size_t steps) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < steps; ++i) n += decisions_per_step_[i];
    return std::vector<uint32_t>(t_.decisions.begin(), t_.decisions.begin() + static_cast<std::ptrdiff_t>(n));
  }

  std::vector<HeldLock> held_during(std::size_t i) const {
    std::vector<HeldLock> held;
    for (std::size_t j = i; j-- > 0;)
      if (thread(j) == thread(i)) {
        held = trace_.steps[j].locks;
        break;
      }
    for (const HeldLock& l : trace_.steps[i].locks)
      if (std::find(held.begin(), held.end(), l) == held.end()) held.push_back(l);
    return held;
  }

  RacingStep racing_step(std::size_t i, ObjectId on) {
    const TraceStep& s = trace_.steps[i];
    RacingStep r{s.index, s.thread_name, s.function, s.point, s.detail, exec_.object_name(on), {}, {}, held_during(i)};
    r.before = model::object_value(state_after(i), r.object);
    r.after = model::object_value(state_after(i + 1), r.object);
    return r;
  }

  // For each lock the earlier step's thread held: the later thread could
  // have held it from its last step before that thread's section under the
  // lock began, through the later step — unless one of its own steps in that
  // window needs the lock itself (truncation waits for a folio lock, say).
  // The lock whose section covers most of the conflicting steps wins.
  std::optional<MissingOrder> missing_order(std::size_t earlier, std::size_t later) const {
    std::optional<MissingOrder> best;
    std::size_t best_score = 0;
    for (const HeldLock& held : held_during(earlier)) {
      const std::string& lock = held.lock;
      std::optional<std::size_t> acquired = acquisition(lock, earlier);
      if (!acquired) continue;
      std::optional<std::size_t> from = last_step_before(thread(later), *acquired);
      if (!from || needs_lock(lock, *from, later)) continue;
      std::size_t section_end = earlier;
      std::size_t score = section_score(lock, *from, earlier, later, section_end);
      if (best && score <= best_score) continue;
      best_score = score;
      best = MissingOrder{lock,
                          trace_.steps[later].thread_name,
                          trace_.steps[*from].index,
                          trace_.steps[later].index,
                          trace_.steps[*from].point,
                          trace_.steps[later].point,
                          trace_.steps[*acquired].index,
                          trace_.steps[section_end].index,
                          trace_.steps[earlier].thread_name};
    }
    return best;
  }

  // The step at or before `step` where its thread took `lock`.
  std::optional<std::size_t> acquisition(const std::string& lock, std::size_t step) const {
    for (std::size_t j = step + 1; j-- > 0;)
      if (thread(j) == thread(step) && is_acquire(op(j).kind) && exec_.object_name(op(j).object) == lock) return j;
    return std::nullopt;
  }

  // Thread `t`'s last step before step `before`.
  std::optional<std::size_t> last_step_before(ThreadId t, std::size_t before) const {
    for (std::size_t j = before; j-- > 0;)
      if (thread(j) == t) return j;
    return std::nullopt;
  }

  // Whether a step of the later step's thread in [from, later] uses `lock`
  // itself (as its lock or an object it declares): it could not have held it.
  bool needs_lock(const std::string& lock, std::size_t from, std::size_t later) const {
    bool needs = false;
    for (std::size_t j = from; j <= later; ++j)
      if (thread(j) == thread(later) && (op(j).object != no_object && exec_.object_name(op(j).object) == lock))
        needs = true;
    for (std::size_t j = from; j <= later && !needs; ++j)
      if (thread(j) == thread(later))
        op(j).for_each_access([&](ObjectId o, AccessKind) {
          if (exec_.object_name(o) == lock) needs = true;
        });
    return needs;
  }

  // How many of the earlier thread's steps under `lock` in (from, later)
  // conflict with a step of the later thread in [from, later];
  // `section_end` becomes the last of its steps under the lock there.
  std::size_t section_score(const std::string& lock, std::size_t from, std::size_t earlier, std::size_t later,
                            std::size_t& section_end) const {
    std::size_t score = 0;
    for (std::size_t j = from + 1; j < later; ++j) {
      if (thread(j) != thread(earlier)) continue;
      std::vector<HeldLock> h = held_during(j);
      bool under = std::any_of(h.begin(), h.end(), [&](const HeldLock& x) { return x.lock == lock; });
      if (!under) continue;
      section_end = std::max(section_end, j);
      for (std::size_t k = from; k <= later; ++k)
        if (thread(k) == thread(later) && footprints_[j].conflicts(footprints_[k])) {
          ++score;
          break;
        }
    }
    return score;
  }

  // The fewest steps after which every continuation violates: the answer
  // only grows with the prefix, so a binary search over its length.
  void no_return(Explanation& e) {
    std::size_t lo = 0, hi = size();  // every continuation violates after hi steps
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      Continuations c = every_continuation_violates(exec_, decisions_for(mid), t_.invariant, continuation_cap);
      if (c.answer == Continuations::Answer::unknown) e.searched = false;
      if (c.answer == Continuations::Answer::all_violate) hi = mid;
      else lo = mid + 1;
    }
    e.no_return_steps = static_cast<uint32_t>(hi);
  }

  // Drops the longest tail of some thread's kept steps (all of them, if it
  // can) while the shorter schedule still replays to the same violation,
  // with every kept step the same step of the same function; round after
  // round until nothing more can go. The racing pair always stays.
  void minimal(Explanation& e) {
    std::vector<bool> kept(size(), true);
    std::vector<bool> pinned(size(), false);
    pinned[size() - 1] = true;
    for (const RacingStep& s : e.racing_pair) pinned[s.step] = true;
    for (bool dropped = true; dropped;) {
      dropped = false;
      for (ThreadId t = 0; t < exec_.thread_names().size(); ++t) {
        std::vector<std::size_t> mine;
        for (std::size_t i = 0; i < size(); ++i)
          if (kept[i] && thread(i) == t) mine.push_back(i);
        std::size_t from = mine.size();  // the tail mine[from..] may go: after the last pinned step
        while (from > 0 && !pinned[mine[from - 1]]) --from;
        for (std::size_t cut = from; cut < mine.size(); ++cut) {
          for (std::size_t k = cut; k < mine.size(); ++k) kept[mine[k]] = false;
          if (replays(kept)) {
            dropped = true;
            break;
          }
          for (std::size_t k = cut; k < mine.size(); ++k) kept[mine[k]] = true;
        }
      }
    }
    for (std::size_t i = 0; i < size(); ++i)
      if (kept[i]) e.minimal_steps.push_back(trace_.steps[i].index);
    e.minimal_decisions = decisions_of(kept);
    // The minimal schedule's own steps (what they say may differ where a
    // dropped step had changed the state), numbered as in the whole trace.
    Replayed m = replay_traced(exec_, e.minimal_decisions, t_.invariant);
    e.minimal_trace = std::move(m.steps);
    for (std::size_t k = 0; k < e.minimal_trace.size() && k < e.minimal_steps.size(); ++k)
      e.minimal_trace[k].index = e.minimal_steps[k];
    e.minimal_state = std::move(m.state);
  }

  std::vector<uint32_t> decisions_of(const std::vector<bool>& kept) const {
    std::vector<uint32_t> out;
    std::size_t at = 0;
    for (std::size_t i = 0; i < size(); ++i) {
      if (kept[i]) out.insert(out.end(), t_.decisions.begin() + at, t_.decisions.begin() + at + decisions_per_step_[i]);
      at += decisions_per_step_[i];
    }
    return out;
  }

  bool replays(const std::vector<bool>& kept) {
    Replayed r = replay_traced(exec_, decisions_of(kept), t_.invariant);
    if (!r.violated) return false;
    std::size_t k = 0;
    for (std::size_t i = 0; i < size(); ++i) {
      if (!kept[i]) continue;
      if (k >= r.steps.size()) return false;
      const TraceStep& a = r.steps[k++];
      const TraceStep& b = trace_.steps[i];
      if (a.thread != b.thread || a.function != b.function || a.point != b.point) return false;
    }
    return k == r.steps.size();
  }

  const TraceToExplain& t_;
  Executor& exec_;
  Replayed trace_;
  InvariantCoupling coupling_;
  std::vector<Footprint> footprints_;
  std::vector<std::size_t> decisions_per_step_;
};

}  // namespace

std::optional<Explanation> explain(const TraceToExplain& t, std::string& error) {
  Executor exec(model::build_program(t.scenario));
  if (!exec.has_invariant(t.invariant) && t.invariant != no_deadlock && t.invariant != step_limit) {
    error = "invariant: expected an invariant of the model, got \"" + t.invariant + "\"";
    return std::nullopt;
  }
  Replayed trace = replay_traced(exec, t.decisions, t.invariant);
  if (!trace.violated || trace.steps.empty()) {
    error = "decisions: they do not reproduce the violation of " + t.invariant + " in this model";
    return std::nullopt;
  }
  return Analysis(t, exec, std::move(trace)).run();
}

nlohmann::ordered_json to_json(const Explanation& e) {
  using json = nlohmann::ordered_json;
  json pair = json::array();
  for (const RacingStep& s : e.racing_pair) {
    json j = {{"step", s.step},     {"thread", s.thread}, {"function", s.function},
              {"point", s.point},   {"detail", s.detail}, {"object", s.object}};
    j["before"] = s.before ? json(*s.before) : json(nullptr);
    j["after"] = s.after ? json(*s.after) : json(nullptr);
    j["locks"] = lock_texts(s.locks);
    pair.push_back(std::move(j));
  }
  json order = nullptr;
  if (e.missing_order) {
    const MissingOrder& m = *e.missing_order;
    order = {{"lock", m.lock},          {"mode", "exclusive"},          {"thread", m.thread},
             {"from_step", m.from},     {"from_point", m.from_point},   {"to_step", m.to},
             {"to_point", m.to_point},  {"other_thread", m.other_thread}, {"section_from", m.section_from},
             {"section_to", m.section_to}};
  }
  json after = e.no_return_steps == 0 ? json(nullptr) : json(e.no_return_steps - 1);
  json no_return = {{"after_step", after}, {"searched", e.searched}};
  return {{"racing_pair", pair},
          {"missing_order", order},
          {"point_of_no_return", no_return},
          {"minimal_steps", e.minimal_steps},
          {"minimal_decisions", e.minimal_decisions}};
}

std::string missing_order_text(const Explanation& e) {
  if (!e.missing_order) return "";
  const MissingOrder& m = *e.missing_order;
  return m.thread + " holding " + m.lock + " exclusively from step " + std::to_string(m.from) + " (" + m.from_point +
         ") to step " + std::to_string(m.to) + " (" + m.to_point + ") would have kept " + m.other_thread +
         "'s section under " + m.lock + " (steps " + std::to_string(m.section_from) + "-" +
         std::to_string(m.section_to) + ") out of that window.";
}

}  // namespace fsmc::cli
