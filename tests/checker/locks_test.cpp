// Mutex and RwSem semantics, deadlock detection, and mutual exclusion.
#include <doctest/doctest.h>

#include <string>

#include "programs.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

// Two threads increment a shared counter by a read step and a write step.
Program counter(bool with_mutex) {
  return [with_mutex](Builder& b) {
    struct S { int x = 0; };
    S& s = b.make<S>();
    ObjectId x = b.object("x");
    Mutex m = b.mutex("m");
    for (const char* name : {"a", "b"})
      b.thread(name, [&s, x, m, with_mutex](Thread& t) {
        if (with_mutex) m.lock(t, "inc");
        read(t, x, "inc", "load");
        int v = s.x;
        write(t, x, "inc", "store");
        s.x = v + 1;
        if (with_mutex) m.unlock(t, "inc");
      });
    b.final_check("count", [&s]() -> std::optional<std::string> {
      if (s.x == 2) return std::nullopt;
      return "x is " + std::to_string(s.x) + ", expected 2";
    });
  };
}

// Each thread enters a section guarded by `enter`/`leave`; the invariant
// "at most `limit` inside" is checked after every step.
template <class Enter, class Leave>
Program section(std::vector<std::pair<Enter, Leave>> threads, int limit) {
  return [threads, limit](Builder& b) {
    struct S { int inside = 0; };
    S& s = b.make<S>();
    RwSem sem = b.rwsem("sem");
    ObjectId cs = b.object("cs");
    for (std::size_t i = 0; i < threads.size(); ++i) {
      Enter enter = threads[i].first;  // not a structured binding: clang 14 cannot capture one
      Leave leave = threads[i].second;
      b.thread("t" + std::to_string(i), [&s, sem, cs, enter, leave](Thread& t) {
        enter(sem, t);
        write(t, cs, "enter");
        ++s.inside;
        write(t, cs, "leave");
        --s.inside;
        leave(sem, t);
      });
    }
    b.invariant("bounded", [&s, limit]() -> std::optional<std::string> {
      if (s.inside <= limit) return std::nullopt;
      return std::to_string(s.inside) + " threads inside";
    });
  };
}

using Fn = void (*)(RwSem, Thread&);
const Fn down_read = [](RwSem s, Thread& t) { s.down_read(t, "reader"); };
const Fn up_read = [](RwSem s, Thread& t) { s.up_read(t, "reader"); };
const Fn down_write = [](RwSem s, Thread& t) { s.down_write(t, "writer"); };
const Fn up_write = [](RwSem s, Thread& t) { s.up_write(t, "writer"); };

}  // namespace

TEST_CASE("an unsynchronized read-modify-write counter loses an update, with one preemption") {
  SearchResult r = run(counter(false), with(StrategyKind::bounded));
  REQUIRE(r.verdict == Verdict::violation);
  CHECK(r.counterexamples.at(0).violation.invariant == "count");
  CHECK(r.counterexamples[0].violation.preemptions == 1);
  CHECK(r.stats.bound == 1);
}

TEST_CASE("a mutex-protected counter never loses an update, exhaustively") {
  SearchResult r = run(counter(true), with(StrategyKind::dfs));
  CHECK(r.verdict == Verdict::pass);
  CHECK(r.exhaustive);
  // Each thread's first step is the lock, so only the two orders of whole
  // critical sections exist.
  CHECK(r.stats.executions == 2);
}

TEST_CASE("lock-order inversion deadlocks, and the report names both waits") {
  Program p = [](Builder& b) {
    Mutex m1 = b.mutex("A"), m2 = b.mutex("B");
    b.thread("first", [m1, m2](Thread& t) {
      m1.lock(t, "take_ab");
      m2.lock(t, "take_ab");
      m2.unlock(t, "take_ab");
      m1.unlock(t, "take_ab");
    });
    b.thread("second", [m1, m2](Thread& t) {
      m2.lock(t, "take_ba");
      m1.lock(t, "take_ba");
      m1.unlock(t, "take_ba");
      m2.unlock(t, "take_ba");
    });
  };
  SearchResult r = run(p, with(StrategyKind::dfs));
  REQUIRE(r.verdict == Verdict::violation);
  const Counterexample& c = r.counterexamples.at(0);
  CHECK(c.violation.invariant == no_deadlock);
  CHECK(c.violation.message.find("first waits in take_ab for lock B (held by second)") != std::string::npos);
  CHECK(c.violation.message.find("second waits in take_ba for lock A (held by first)") != std::string::npos);
  CHECK(c.steps.size() == 2);
}

TEST_CASE("rwsem: readers share") {
  // If down_read were exclusive, two readers could never be inside together.
  SearchResult r = run(section<Fn, Fn>({{down_read, up_read}, {down_read, up_read}}, 1), with(StrategyKind::dfs));
  CHECK(r.verdict == Verdict::violation);
}

TEST_CASE("rwsem: a writer excludes readers and writers") {
  // If down_write were shared, these would find two threads inside.
  SearchResult rw = run(section<Fn, Fn>({{down_write, up_write}, {down_read, up_read}}, 1), with(StrategyKind::dfs));
  CHECK(rw.verdict == Verdict::pass);
  CHECK(rw.exhaustive);
  SearchResult ww = run(section<Fn, Fn>({{down_write, up_write}, {down_write, up_write}}, 1), with(StrategyKind::dfs));
  CHECK(ww.verdict == Verdict::pass);
}

TEST_CASE("rwsem: downgrade lets readers in but still keeps writers out") {
  const Fn write_then_downgrade = [](RwSem s, Thread& t) {
    s.down_write(t, "writer");
    s.downgrade(t, "writer");
  };
  SearchResult with_reader =
      run(section<Fn, Fn>({{write_then_downgrade, up_read}, {down_read, up_read}}, 1), with(StrategyKind::dfs));
  CHECK(with_reader.verdict == Verdict::violation);
  SearchResult with_writer =
      run(section<Fn, Fn>({{write_then_downgrade, up_read}, {down_write, up_write}}, 1), with(StrategyKind::dfs));
  CHECK(with_writer.verdict == Verdict::pass);
}

TEST_CASE("rwsem: a waiting writer holds off a recursive reader, which deadlocks") {
  auto program = [](bool with_writer) {
    return [with_writer](Builder& b) {
      RwSem sem = b.rwsem("sem");
      b.thread("reader", [sem](Thread& t) {
        sem.down_read(t, "outer");
        sem.down_read(t, "inner");
        sem.up_read(t, "inner");
        sem.up_read(t, "outer");
      });
      if (with_writer)
        b.thread("writer", [sem](Thread& t) {
          sem.down_write(t, "w");
          sem.up_write(t, "w");
        });
    };
  };
  SearchResult r = run(program(true), with(StrategyKind::dfs));
  REQUIRE(r.verdict == Verdict::violation);
  const Violation& v = r.counterexamples.at(0).violation;
  CHECK(v.invariant == no_deadlock);
  CHECK(v.message.find("reader waits in inner for down_read sem (held shared by 1)") != std::string::npos);
  CHECK(v.message.find("writer waits in w for down_write sem (held shared by 1)") != std::string::npos);
  CHECK(run(program(false), with(StrategyKind::dfs)).verdict == Verdict::pass);
}

TEST_CASE("each lock step kind belongs to one primitive, which tells the reductions what it does") {
  for (int k = 0; k <= static_cast<int>(OpKind::finish); ++k) {
    auto kind = static_cast<OpKind>(k);
    CAPTURE(to_string(kind));
    LockStep s = lock_step(kind);
    CHECK(Mutex::owns(kind) + RwSem::owns(kind) == (s.on_lock() ? 1 : 0));
    CHECK(s.acquire + s.release + s.trylock <= 1);
  }
  CHECK(lock_step(OpKind::down_read).shared);
  CHECK(lock_step(OpKind::up_read).shared);
  CHECK_FALSE(lock_step(OpKind::down_write).shared);
  CHECK_FALSE(lock_step(OpKind::access).on_lock());
}

TEST_CASE("the trace records the locks a thread holds after each step") {
  Program p = [](Builder& b) {
    RwSem io = b.rwsem("IOLOCK");
    Mutex m = b.mutex("folio 0");
    ObjectId x = b.object("x");
    b.thread("w", [io, m, x](Thread& t) {
      io.down_write(t, "w");
      m.lock(t, "w");
      write(t, x, "w");
      t.detail([] { return std::string("x: 0 -> 1"); });
      m.unlock(t, "w");
      io.up_write(t, "w");
    });
    b.final_check("never", []() -> std::optional<std::string> { return "done"; });
  };
  SearchResult r = run(p, with(StrategyKind::dfs));
  REQUIRE(r.counterexamples.size() == 1);
  const auto& steps = r.counterexamples[0].steps;
  REQUIRE(steps.size() == 5);
  CHECK(steps[0].locks == std::vector<HeldLock>{{"IOLOCK", LockMode::exclusive}});
  CHECK(steps[2].locks == std::vector<HeldLock>{{"IOLOCK", LockMode::exclusive}, {"folio 0", LockMode::mutex}});
  CHECK(lock_texts(steps[2].locks) == std::vector<std::string>{"IOLOCK_EXCL", "folio 0"});
  CHECK(steps[2].detail == "x: 0 -> 1");
  CHECK(steps[4].locks.empty());
}

TEST_CASE("Peterson's lock gives mutual exclusion under sequential consistency, exhaustively") {
  auto peterson = [](bool use_turn) {
    return [use_turn](Builder& b) {
      struct S { int flag[2] = {0, 0}; int turn = 0; int inside = 0; };
      S& s = b.make<S>();
      ObjectId flag[2] = {b.object("flag0"), b.object("flag1")};
      ObjectId turn = b.object("turn"), cs = b.object("cs");
      for (int i = 0; i < 2; ++i)
        b.thread("p" + std::to_string(i), [&s, flag, turn, cs, i, use_turn](Thread& t) {
          int j = 1 - i;
          write(t, flag[i], "lock", "flag");
          s.flag[i] = 1;
          if (use_turn) {
            write(t, turn, "lock", "turn");
            s.turn = j;
          }
          // await !(flag[j] && turn == j), each read its own step
          for (;;) {
            auto flag_clear = [&s, j] { return s.flag[j] == 0; };
            auto other_moved = [&s, j, use_turn] { return s.flag[j] == 0 || (use_turn && s.turn != j); };
            wait_until(t, flag[j], other_moved, "lock", "await");
            if (flag_clear()) break;
            read(t, turn, "lock", "turn?");
            if (!use_turn || s.turn != j) break;
          }
          write(t, cs, "critical");
          ++s.inside;
          write(t, cs, "critical");
          --s.inside;
          write(t, flag[i], "unlock");
          s.flag[i] = 0;
        });
      b.invariant("mutual_exclusion", [&s]() -> std::optional<std::string> {
        if (s.inside <= 1) return std::nullopt;
        return std::string("both inside");
      });
    };
  };
  SearchResult ok = run(peterson(true), with(StrategyKind::dfs));
  CHECK(ok.verdict == Verdict::pass);
  CHECK(ok.exhaustive);
  // Without `turn` the flags alone deadlock when both raise them.
  SearchResult flags_only = run(peterson(false), with(StrategyKind::dfs));
  CHECK(flags_only.verdict == Verdict::violation);
}
