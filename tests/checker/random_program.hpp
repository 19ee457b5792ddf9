// Small random programs for differential tests of reduced and cached searches
// against plain DFS: a few threads over three cells, two mutexes and an
// rwsem, with every kind of step the engine has (read, write, commutative
// update, read-modify-write, a write that may turn out not to happen,
// lock sections, trylock, rwsem read, write and downgrade sections, waiting
// for a cell, choose). Lock sections nest in random orders, so some
// programs deadlock.
//
// What a search saw is collected outside the executor (Observed): final and
// deadlocked states, every value pair a per-step invariant consulted, the
// invariants violated and the Mazurkiewicz trace of every execution.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "checker.hpp"
#include "search/footprint.hpp"
#include "search/recorder.hpp"
#include "search/strategy.hpp"

namespace fsmc::testing {

enum class Instr : uint8_t {
  read, write, update, rmw, write_if, choose, wait,
  lock, unlock, trylock, down_read, up_read, down_write, up_write, downgrade,
};

struct Step {
  Instr instr;
  uint8_t a = 0;    // cell, mutex index, or the cell a write_if consults
  uint8_t b = 0;    // write_if: the cell it may write; wait: the value awaited
  uint8_t len = 0;  // trylock: steps of its section, skipped when it fails

  bool operator==(const Step&) const = default;
};

struct RandomProgram {
  static constexpr int cells = 3;
  std::vector<std::vector<Step>> threads;
  uint8_t watch_a = 0, watch_b = 1;  // the cells the per-step invariants consult
  bool declared_reads = true;        // false: the invariants do not say what they read

  // Threads with the same code, which a program keyed by objects declares
  // interchangeable (Builder::symmetric).
  std::vector<std::vector<ThreadId>> identical() const {
    std::vector<std::vector<ThreadId>> groups;
    for (ThreadId t = 0; t < threads.size(); ++t) {
      auto same = [&](const std::vector<ThreadId>& g) { return threads[g[0]] == threads[t]; };
      auto g = std::find_if(groups.begin(), groups.end(), same);
      if (g == groups.end()) groups.push_back({t});
      else g->push_back(t);
    }
    return groups;
  }
};

// What a search reached, gathered across its executions.
struct Observed {
  std::set<std::vector<int>> finals;     // cells and thread registers at the end
  std::set<std::vector<int>> deadlocks;  // the same, where no thread could move
  std::set<std::vector<int>> watched;    // what the per-step invariants saw
  std::set<std::string> violated;
  std::set<std::vector<uint32_t>> traces;  // canonical form of each execution's trace
  uint64_t executions = 0;
  uint64_t abandoned = 0;  // executions the strategy gave up on (sleep set, cache)
  uint64_t undeclared = 0;  // by_objects: steps that changed an object they did not declare
};

namespace detail {

struct Generator {
  std::mt19937 rng;
  int budget;
  std::vector<Step> out;
  std::vector<int> held_mutexes;
  bool sem_write = false;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  void simple() {
    auto c = static_cast<uint8_t>(pick(RandomProgram::cells));
    switch (pick(7)) {
      case 0: out.push_back({Instr::read, c}); break;
      case 1: out.push_back({Instr::write, c}); break;
      case 2: out.push_back({Instr::update, c}); break;
      case 3: out.push_back({Instr::rmw, c}); break;
      case 4: out.push_back({Instr::write_if, c, static_cast<uint8_t>(pick(RandomProgram::cells))}); break;
      case 5: out.push_back({Instr::choose}); break;
      default: out.push_back({Instr::wait, c, static_cast<uint8_t>(pick(2))}); break;
    }
    --budget;
  }

  void body() {
    int n = 1 + pick(2);
    for (int i = 0; i < n && budget > 0; ++i) block();
  }

  void block() {
    int kind = pick(10);
    if (budget < 3 || kind < 5) return simple();
    budget -= 2;
    auto m = static_cast<uint8_t>(pick(2));
    bool mutex_free = std::find(held_mutexes.begin(), held_mutexes.end(), m) == held_mutexes.end();
    switch (kind) {
      case 5:
      case 6:
        if (!mutex_free) return simple();
        held_mutexes.push_back(m);
        out.push_back({kind == 5 ? Instr::lock : Instr::trylock, m});
        {
          std::size_t at = out.size() - 1;
          body();
          out.push_back({Instr::unlock, m});
          out[at].len = static_cast<uint8_t>(out.size() - at - 1);
        }
        held_mutexes.pop_back();
        return;
      case 7:  // may be taken recursively: deadlocks behind a waiting writer, as in Linux
        if (sem_write) return simple();
        out.push_back({Instr::down_read});
        body();
        out.push_back({Instr::up_read});
        return;
      default:
        if (sem_write) return simple();
        sem_write = true;
        out.push_back({Instr::down_write});
        body();
        sem_write = false;
        if (kind == 8) {
          out.push_back({Instr::downgrade});
          body();
          out.push_back({Instr::up_read});
        } else {
          out.push_back({Instr::up_write});
        }
        return;
    }
  }
};

}  // namespace detail

inline RandomProgram random_program(uint32_t seed) {
  detail::Generator g{std::mt19937(seed), 0, {}, {}, false};
  RandomProgram p;
  int n_threads = 2 + g.pick(2);
  for (int t = 0; t < n_threads; ++t) {
    g.budget = n_threads == 2 ? 3 + g.pick(3) : 2 + g.pick(2);
    g.out.clear();
    while (g.budget > 0) g.block();
    p.threads.push_back(g.out);
  }
  p.watch_a = static_cast<uint8_t>(g.pick(RandomProgram::cells));
  p.watch_b = static_cast<uint8_t>((p.watch_a + 1 + g.pick(RandomProgram::cells - 1)) % RandomProgram::cells);
  p.declared_reads = g.pick(4) != 0;
  return p;
}

// A random program whose second thread, and with an odd seed its third
// if it has one, runs the first one's code.
inline RandomProgram symmetric_program(uint32_t seed) {
  RandomProgram p = random_program(seed);
  p.threads[1] = p.threads[0];
  if (p.threads.size() > 2 && seed % 2) p.threads[2] = p.threads[0];
  return p;
}

// A final or deadlocked state's snapshot with the registers of identical
// threads sorted: what a search that keys identical threads by one order
// must reach, whichever of them it let do what.
inline std::vector<int> up_to_identical(const RandomProgram& p, std::vector<int> v) {
  for (const std::vector<ThreadId>& g : p.identical()) {
    std::vector<int> regs;
    for (ThreadId t : g) regs.push_back(v[RandomProgram::cells + t]);
    std::sort(regs.begin(), regs.end());
    for (std::size_t i = 0; i < g.size(); ++i) v[RandomProgram::cells + g[i]] = regs[i];
  }
  return v;
}

inline Observed up_to_identical(const RandomProgram& p, Observed o) {
  std::set<std::vector<int>> finals, deadlocks;
  for (const std::vector<int>& v : o.finals) finals.insert(up_to_identical(p, v));
  for (const std::vector<int>& v : o.deadlocks) deadlocks.insert(up_to_identical(p, v));
  o.finals = std::move(finals);
  o.deadlocks = std::move(deadlocks);
  return o;
}

// The program's state: cells, and one register per thread folding in what
// the thread read and chose (so different reads lead to different finals).
struct RandomState {
  std::vector<int> cells = std::vector<int>(RandomProgram::cells, 0);
  std::vector<int> regs;
  std::vector<int> published;  // by_objects: each thread's last register, stored by its last step
  std::vector<int> snapshot() const {
    std::vector<int> v = cells;
    v.insert(v.end(), regs.begin(), regs.end());
    return v;
  }
};

// A Program for `p`. `last` points at the state of the latest execution;
// `seen` collects the per-step invariants' observations and the finals
// (either may be null: a program several workers run at once has neither).
// With hash_state, the state is keyed by a hash of all of it, or with
// by_objects by its objects (Builder::object_state): then each thread's
// registers are an object too, which each thread's last step stores to, and
// threads with the same code are declared interchangeable: a register is
// its thread's own data (unless `symmetry` is off).
inline Program build(const RandomProgram& p, std::shared_ptr<RandomState*> last, std::shared_ptr<Observed> seen,
                     bool hash_state = false, bool by_objects = false) {
  return [p, last, seen, hash_state, by_objects](Builder& b) {
    RandomState& s = b.make<RandomState>();
    b.restorable();
    s.regs.assign(p.threads.size(), 0);
    s.published.assign(p.threads.size(), 0);
    if (last) *last = &s;
    std::vector<ObjectId> cell;
    for (int c = 0; c < RandomProgram::cells; ++c) cell.push_back(b.object("c" + std::to_string(c)));
    std::vector<Mutex> mutexes{b.mutex("m0"), b.mutex("m1")};
    RwSem sem = b.rwsem("sem");
    ObjectId registers = by_objects ? b.object("registers") : no_object;
    for (std::size_t t = 0; t < p.threads.size(); ++t)
      b.thread("t" + std::to_string(t), [&s, t, code = p.threads[t], cell, mutexes, sem, hash_state,
                                         registers](Thread& th) {
        int& reg = s.regs[t];
        for (std::size_t pc = 0; pc < code.size(); ++pc) {
          // Everything this thread's future depends on: where it is and what it holds.
          if (hash_state) th.set_locals_hash(pc << 16 | static_cast<uint64_t>(reg));
          const Step& st = code[pc];
          int& x = s.cells[st.a];
          switch (st.instr) {
            case Instr::read: read(th, cell[st.a], "read"); reg = (reg * 3 + x) % 7; break;
            case Instr::write: write(th, cell[st.a], "write"); x = (reg + 1) % 4; break;
            case Instr::update: access(th, Op{.function = "update"}.updates(cell[st.a])); x = (x + 1) % 4; break;
            case Instr::rmw:
              access(th, Op{.function = "rmw"}.reads(cell[st.a]).writes(cell[st.a]));
              reg = (reg + x) % 7;
              x = (x * 2 + 1) % 4;
              break;
            case Instr::write_if:
              access(th, Op{.function = "write_if"}.reads(cell[st.a]).writes(cell[st.b]));
              if (x % 2) s.cells[st.b] = (reg + 2) % 4;
              break;
            case Instr::choose: reg = (reg * 2 + static_cast<int>(th.choose(2, "choose"))) % 7; break;
            case Instr::wait: {
              auto ready = [&x, v = st.b] { return x == v; };
              wait_until(th, cell[st.a], ready, "wait");
              break;
            }
            case Instr::lock: mutexes[st.a].lock(th, "lock"); break;
            case Instr::unlock: mutexes[st.a].unlock(th, "unlock"); break;
            case Instr::trylock:
              if (!mutexes[st.a].trylock(th, "trylock")) pc += st.len;
              break;
            case Instr::down_read: sem.down_read(th, "down_read"); break;
            case Instr::up_read: sem.up_read(th, "up_read"); break;
            case Instr::down_write: sem.down_write(th, "down_write"); break;
            case Instr::up_write: sem.up_write(th, "up_write"); break;
            case Instr::downgrade: sem.downgrade(th, "downgrade"); break;
          }
        }
        if (registers != no_object) {
          th.set_locals_hash(code.size() << 16 | static_cast<uint64_t>(reg));  // the last step's reg
          access(th, Op{.function = "publish"}.writes(registers));
          s.published[t] = reg;
        }
        if (hash_state) th.set_locals_hash(UINT64_MAX);
      });
    std::vector<ObjectId> reads;
    if (p.declared_reads) reads = {cell[p.watch_a], cell[p.watch_b]};
    // An invariant that never fails but records what it consulted: a reduced
    // search must show it every value pair plain DFS does.
    b.invariant("watch", [&s, seen, p]() -> std::optional<std::string> {
      if (seen) seen->watched.insert({s.cells[p.watch_a], s.cells[p.watch_b]});
      return std::nullopt;
    }, reads);
    b.invariant("not_both_odd", [&s, p]() -> std::optional<std::string> {
      if (s.cells[p.watch_a] % 2 && s.cells[p.watch_b] % 2) return std::string("both odd");
      return std::nullopt;
    }, reads);
    b.final_check("final", [&s, seen]() -> std::optional<std::string> {
      if (seen) seen->finals.insert(s.snapshot());
      return std::nullopt;
    });
    if (hash_state && by_objects) {
      // The value of object o, with thread t's register as thread order[t]'s.
      auto value = [&s, registers](ObjectId o, const ThreadOrder& order) -> uint64_t {
        if (o < RandomProgram::cells) return static_cast<uint64_t>(s.cells[o]);
        if (o != registers) return 0;
        std::vector<int> placed(s.published.size());
        for (ThreadId t = 0; t < placed.size(); ++t) placed[order[t]] = s.published[t];
        uint64_t h = 0;
        for (int v : placed) h = fold(h, static_cast<uint64_t>(v));
        return h;
      };
      ThreadOrder same;
      for (ThreadId t = 0; t < max_threads; ++t) same[t] = t;
      b.object_state([value, same](ObjectId o) { return value(o, same); });
      b.symmetric(
          p.identical(), [&s](ThreadId t) { return static_cast<uint64_t>(s.published[t]); }, value);
    } else if (hash_state)
      b.state_hash([&s] {
        uint64_t h = 0;
        for (int v : s.snapshot()) h = h * 31 + static_cast<uint64_t>(v) + 1;
        return h;
      });
  };
}

// Canonical form of an execution's Mazurkiewicz trace under the reduction's
// own dependence: repeatedly take the lowest-numbered thread whose next event
// depends on no event still to be taken. Choose values are part of the event.
inline std::vector<uint32_t> canonical_trace(const std::vector<Event>& events, const RunResult& r,
                                             const InvariantCoupling& coupling) {
  std::size_t n = events.size();
  std::vector<Footprint> fp;
  std::vector<uint32_t> label;  // thread, plus the value of a choose
  std::size_t d = 0;
  for (const Event& e : events) {
    fp.push_back(coupling.of(e.op));
    uint32_t l = e.thread * 16;
    ++d;  // the thread decision
    if (e.op.kind == OpKind::choose) l += 1 + r.decisions[d++];
    label.push_back(l);
  }
  std::vector<bool> taken(n, false);
  std::vector<uint32_t> out;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      bool ready = true;
      for (std::size_t j = 0; j < i && ready; ++j)
        ready = taken[j] || (events[j].thread != events[i].thread && !fp[j].conflicts(fp[i]));
      if (ready && (best == n || events[i].thread < events[best].thread)) best = i;
    }
    taken[best] = true;
    out.push_back(label[best]);
  }
  return out;
}

// Wraps a strategy to tell whether it gave up on the execution.
class Watched : public Strategy {
 public:
  explicit Watched(Strategy& inner) : inner_(inner) {}
  bool next_execution() override {
    abandoned_ = false;
    return inner_.next_execution();
  }
  ThreadId pick_thread(const SchedulePoint& point) override {
    ThreadId t = inner_.pick_thread(point);
    abandoned_ |= t == no_thread;
    return t;
  }
  uint32_t pick_value(uint32_t choices) override { return inner_.pick_value(choices); }
  void execution_done(const RunResult& r) override { inner_.execution_done(r); }
  bool exhaustive() const override { return inner_.exhaustive(); }
  bool wants_state_keys() const override { return inner_.wants_state_keys(); }
  bool abandoned() const { return abandoned_; }

 private:
  Strategy& inner_;
  bool abandoned_ = false;
};

// Wraps a strategy to collect the state key of every scheduling point it sees.
class Keys : public Strategy {
 public:
  Keys(Strategy& inner, const Executor& exec, std::set<uint64_t>& keys) : inner_(inner), exec_(exec), keys_(keys) {}
  bool next_execution() override { return inner_.next_execution(); }
  ThreadId pick_thread(const SchedulePoint& point) override {
    keys_.insert(exec_.state_key());
    return inner_.pick_thread(point);
  }
  uint32_t pick_value(uint32_t choices) override { return inner_.pick_value(choices); }
  void execution_done(const RunResult& r) override { inner_.execution_done(r); }
  bool wants_state_keys() const override { return true; }
  bool seen_before() const override { return inner_.seen_before(); }
  std::optional<uint32_t> cycle_from() const override { return inner_.cycle_from(); }

 private:
  Strategy& inner_;
  const Executor& exec_;
  std::set<uint64_t>& keys_;
};

// Runs `strategy` over the program to the end, gathering what it saw.
template <class MakeStrategy>
Observed observe(const RandomProgram& p, MakeStrategy make, bool hash_state = false, bool by_objects = false,
                 bool symmetry = true) {
  auto last = std::make_shared<RandomState*>(nullptr);
  auto seen = std::make_shared<Observed>();
  Executor e(build(p, last, seen, hash_state, by_objects), {.check_footprints = by_objects, .symmetry = symmetry});
  InvariantCoupling coupling(e);
  auto strategy = make(e);
  Recorder recorded(*strategy);  // each execution's steps, for its trace
  Watched w(recorded);
  while (w.next_execution()) {
    const RunResult& r = e.run(w, {.tracing = false, .keep_going = true});
    ++seen->executions;
    for (const Violation& v : r.violations) seen->violated.insert(v.invariant);
    if (w.abandoned()) {
      ++seen->abandoned;
      continue;
    }
    bool stuck = false;
    for (ThreadId t = 0; t < p.threads.size(); ++t) stuck |= e.pending(t).kind != OpKind::finish;
    if (stuck) seen->deadlocks.insert((*last)->snapshot());
    seen->traces.insert(canonical_trace(recorded.events(), r, coupling));
  }
  e.check_only(e.invariant_names());
  seen->undeclared = e.undeclared_writes().size();
  return std::move(*seen);
}

}  // namespace fsmc::testing
