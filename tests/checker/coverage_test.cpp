// Coverage and reach goals (search/coverage.hpp): the step ids a search
// performed, exactly; goals met or missed, and the verdict vacuous; and the
// two ways a reduced search could hide a windowed goal — sleep sets taking
// the goal's steps as independent, and a state key without the window.
#include <doctest/doctest.h>

#include <algorithm>

#include "programs.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

const StrategyKind exhaustive_kinds[] = {StrategyKind::automatic, StrategyKind::dfs, StrategyKind::dpor};

SearchConfig config(StrategyKind k, bool stateful, std::vector<ReachGoal> goals = {}) {
  SearchConfig c = with(k);
  c.stateful = stateful;
  c.reach = std::move(goals);
  return c;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// t0 reads a flag, then takes C1 only if it was 1; t1 sets it to 2, so C1
// never runs. Steps without an id ("") are not counted.
Program flag_program() {
  return [](Builder& b) {
    auto& flag = b.make<int>(0);
    ObjectId f = b.object("flag");
    b.thread("t0", [&flag, f](Thread& t) {
      read(t, f, "check", "A1");
      int seen = flag;
      t.set_locals_hash(static_cast<uint64_t>(seen));
      if (seen == 1) write(t, f, "never", "C1");
      write(t, f, "after", "A2");
      write(t, f, "unnamed");
    });
    b.thread("t1", [&flag, f](Thread& t) {
      write(t, f, "set", "B1");
      flag = 2;
    });
    b.state_hash([&flag] { return static_cast<uint64_t>(flag); });
  };
}

// A store M12 on its own object, and a writer's E5 then E6 on another: the
// store is independent of both, so a reduction would explore one order only.
// With `locked`, the writer holds a mutex across E5..E6 and the mapper takes
// it around its store: the store can never land inside the window.
Program window_program(bool locked) {
  return [locked](Builder& b) {
    ObjectId page = b.object("page"), extent = b.object("extent");
    Mutex lock = b.mutex("lock");
    b.thread("mapper", [page, lock, locked](Thread& t) {
      if (locked) lock.lock(t, "fault", "M4");
      write(t, page, "mmap store", "M12");
      if (locked) lock.unlock(t, "fault", "M10");
    });
    b.thread("writer", [extent, lock, locked](Thread& t) {
      if (locked) lock.lock(t, "cleanup", "E4'");
      write(t, extent, "truncate", "E5");
      write(t, extent, "punch", "E6");
      if (locked) lock.unlock(t, "cleanup", "E7");
    });
    b.state_hash([] { return uint64_t{0}; });
  };
}

// Two paths lead to one state of the program: W reads the flag before F
// sets it and takes Y, or after and takes E5; either way W then announces
// P with nothing left to remember, F is done and the flag is 1. Depth-first
// search takes W first, so it meets that state outside the window first; a
// key without the window state would prune the second path, and M12 after
// E5 (the window never closes) would never be seen.
Program merging_program() {
  return [](Builder& b) {
    auto& flag = b.make<int>(0);
    ObjectId f = b.object("flag"), w = b.object("w"), m = b.object("m");
    b.thread("W", [&flag, f, w](Thread& t) {
      read(t, f, "look", "L");
      bool set = flag == 1;
      t.set_locals_hash(set);
      write(t, w, "branch", set ? "E5" : "Y");
      t.set_locals_hash(0);
      write(t, w, "merge", "P");
    });
    b.thread("F", [&flag, f](Thread& t) {
      write(t, f, "set", "F1");
      flag = 1;
    });
    b.thread("M", [m](Thread& t) { write(t, m, "mmap store", "M12"); });
    b.state_hash([&flag] { return static_cast<uint64_t>(flag); });
  };
}

}  // namespace

TEST_CASE("coverage: exactly the step ids some execution performs") {
  for (StrategyKind k : exhaustive_kinds)
    for (bool stateful : {false, true}) {
      CAPTURE(to_string(k));
      CAPTURE(stateful);
      SearchResult r = run(flag_program(), config(k, stateful));
      CHECK(r.verdict == Verdict::pass);
      CHECK(sorted(r.steps_reached) == std::vector<std::string>{"A1", "A2", "B1"});
      CHECK(r.goals_met.empty());
    }
  // The first execution runs t0 to its end, then t1: ids in the order first reached.
  CHECK(run(flag_program(), config(StrategyKind::dfs, false)).steps_reached ==
        std::vector<std::string>{"A1", "A2", "B1"});
}

TEST_CASE("coverage: a goal met, a goal missed, and the verdict vacuous") {
  std::vector<ReachGoal> goals = {{"A2", "", ""}, {"B1", "A1", "A2"}, {"C1", "", ""}};
  for (StrategyKind k : exhaustive_kinds)
    for (bool stateful : {false, true}) {
      CAPTURE(to_string(k));
      CAPTURE(stateful);
      SearchResult r = run(flag_program(), config(k, stateful, goals));
      CHECK(r.verdict == Verdict::vacuous);
      CHECK(r.exhaustive);
      CHECK(r.goals_met == std::vector<bool>{true, true, false});
      goals.pop_back();
      CHECK(run(flag_program(), config(k, stateful, goals)).verdict == Verdict::pass);
      goals.push_back({"C1", "", ""});
    }
  // Not exhaustive: the verdict stays bounded; the goal is simply not met (yet).
  SearchConfig bounded = config(StrategyKind::random, false, {{"C1", "", ""}});
  bounded.max_executions = 5;
  SearchResult r = run(flag_program(), bounded);
  CHECK(r.verdict == Verdict::bounded);
  CHECK(r.goals_met == std::vector<bool>{false});
}

TEST_CASE("coverage: a violation stays a violation whatever the goals") {
  Program p = [](Builder& b) {
    auto& x = b.make<int>(0);
    ObjectId o = b.object("x");
    b.thread("t", [&x, o](Thread& t) {
      write(t, o, "bump", "A1");
      x = 1;
    });
    b.invariant("zero", [&x]() -> std::optional<std::string> {
      if (x) return "x is not zero";
      return std::nullopt;
    }, {o});
  };
  SearchResult r = run(p, config(StrategyKind::dfs, false, {{"Q9", "", ""}}));
  CHECK(r.verdict == Verdict::violation);
  CHECK(r.goals_met == std::vector<bool>{false});
}

TEST_CASE("coverage: reductions keep every order of a windowed goal's steps") {
  std::vector<ReachGoal> goal = {{"M12", "E5", "E6"}};
  for (StrategyKind k : exhaustive_kinds)
    for (bool stateful : {false, true}) {
      CAPTURE(to_string(k));
      CAPTURE(stateful);
      SearchResult r = run(window_program(false), config(k, stateful, goal));
      CHECK(r.verdict == Verdict::pass);
      CHECK(r.goals_met == std::vector<bool>{true});
    }
  // A lock across the window keeps the store out of it: every search says so.
  for (StrategyKind k : exhaustive_kinds)
    for (bool stateful : {false, true}) {
      CAPTURE(to_string(k));
      CAPTURE(stateful);
      SearchResult r = run(window_program(true), config(k, stateful, goal));
      CHECK(r.verdict == Verdict::vacuous);
      CHECK(r.goals_met == std::vector<bool>{false});
    }
}

TEST_CASE("coverage: the window state is part of the state key") {
  std::vector<ReachGoal> goal = {{"M12", "E5", ""}};
  SearchResult plain = run(merging_program(), config(StrategyKind::dfs, false, goal));
  CHECK(plain.goals_met == std::vector<bool>{true});
  SearchResult cached = run(merging_program(), config(StrategyKind::dfs, true, goal));
  CHECK(cached.stateful);
  CHECK(cached.verdict == Verdict::pass);
  CHECK(cached.goals_met == std::vector<bool>{true});
  // Without goals the two paths are one state: the goal's key tells them apart.
  SearchResult without = run(merging_program(), config(StrategyKind::dfs, true));
  SearchResult with = run(merging_program(), config(StrategyKind::dfs, true, goal));
  CHECK(with.stats.states > without.stats.states);
}
