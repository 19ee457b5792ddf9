// Identical scenario threads (Builder::symmetric in build_program): the
// model's renaming of their data is exact — a path and its mirror, the same
// steps with the identical threads exchanged, meet states with one key at
// every step — and the stateful search, which keys such states as one,
// meets every state plain DFS meets, gives its verdicts and finds the races
// (counterexamples of real threads, which replay).
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <vector>

#include "scenarios.hpp"
#include "search/dfs.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

// The seed race with two mappers, or two writers, storing to page 1;
// `copy_any` makes the writers' copies a choice (choose steps).
Scenario two_alike(const std::string& kernel, bool writers, bool flusher = true, bool copy_any = false) {
  Scenario s = seed_race(kernel);
  s.name = writers ? "two writers" : "two mappers";
  OpSpec write = write_op(1, 1, 0);
  if (copy_any) {
    write.copy.reset();
    write.copy_any = true;
  }
  s.threads = {{"writer0", {write}}, {writers ? "writer1" : "mapper0", {writers ? write : page_op("mmap_write", 1)}},
               {writers ? "mapper0" : "mapper1", {page_op("mmap_write", 1)}}};
  if (flusher) s.threads.push_back({"flusher", {plain_op("writeback")}});
  return s;
}

// A random walk, or the replay of one with threads renamed: the state key
// at each scheduling point, in order.
class Walk : public Strategy {
 public:
  struct Decision {
    bool thread;
    uint32_t value;
  };
  explicit Walk(uint32_t seed) : rng_(seed) {}
  Walk(std::vector<Decision> script, const ThreadOrder& rename) : script_(std::move(script)), rename_(rename) {}
  bool next_execution() override { return !started_ && (started_ = true); }
  ThreadId pick_thread(const SchedulePoint& point) override {
    keys.push_back(point.executor->state_key());
    if (!script_.empty()) return rename_[script_[next_++].value];
    ThreadId t = point.enabled[rng_() % point.enabled.size()];
    taken.push_back({true, t});
    return t;
  }
  uint32_t pick_value(uint32_t choices) override {
    if (!script_.empty()) return script_[next_++].value;
    uint32_t v = rng_() % choices;
    taken.push_back({false, v});
    return v;
  }
  void execution_done(const RunResult&) override {}
  bool wants_state_keys() const override { return true; }

  std::vector<uint64_t> keys;
  std::vector<Decision> taken;

 private:
  std::mt19937 rng_;
  std::vector<Decision> script_;
  ThreadOrder rename_{};
  std::size_t next_ = 0;
  bool started_ = false;
};

ThreadOrder exchanging(ThreadId a, ThreadId b) {
  ThreadOrder o;
  for (ThreadId t = 0; t < max_threads; ++t) o[t] = t;
  o[a] = b;
  o[b] = a;
  return o;
}

// Collects the state key of every scheduling point plain DFS meets.
class AllKeys : public Dfs {
 public:
  ThreadId pick_thread(const SchedulePoint& point) override {
    keys.insert(point.executor->state_key());
    return Dfs::pick_thread(point);
  }
  bool wants_state_keys() const override { return true; }
  std::set<uint64_t> keys;
};

}  // namespace

TEST_CASE("symmetry: a path and its mirror with identical threads exchanged meet states with one key") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"})
    for (bool writers : {false, true})
      for (bool copy_any : {false, true}) {
        CAPTURE(kernel);
        CAPTURE(writers);
        CAPTURE(copy_any);
        Scenario s = two_alike(kernel, writers, true, copy_any);
        // writer0, writer1 or mapper0, mapper1: threads 0 and 1, or 1 and 2.
        ThreadOrder mirror = writers ? exchanging(0, 1) : exchanging(1, 2);
        for (uint32_t seed = 1; seed <= 40; ++seed) {
          CAPTURE(seed);
          Executor e(build_program(s));
          Walk walk(seed);
          e.run(walk, {});
          Walk mirrored(walk.taken, mirror);
          Executor m(build_program(s));
          m.run(mirrored, {});
          CHECK(mirrored.keys == walk.keys);
        }
      }
}

TEST_CASE("symmetry: with identical threads the stateful search meets every state plain DFS meets, and its verdicts") {
  // Small enough for plain DFS: no flusher, and the two mappers alone.
  std::vector<Scenario> shapes;
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"}) {
    Scenario mappers = two_alike(kernel, false, false);
    mappers.threads.erase(mappers.threads.begin());
    shapes.push_back(mappers);
  }
  for (const char* kernel : {"v6.2"}) shapes.push_back(two_alike(kernel, true, false));
  for (const Scenario& s : shapes) {
    CAPTURE(s.name);
    CAPTURE(s.kernel);
    Executor e(build_program(s));
    AllKeys dfs;
    while (dfs.next_execution()) e.run(dfs, {.keep_going = true});
    SearchConfig c;
    c.strategy = StrategyKind::dfs;
    c.stateful = true;
    c.keep_going = true;
    SearchResult together = search(e, c);
    CHECK(together.exhaustive);
    CHECK(together.stats.states == dfs.keys.size());
    Executor apart_exec(build_program(s), {.symmetry = false});
    SearchResult apart = search(apart_exec, c);
    CHECK(together.stats.states < apart.stats.states);
    CHECK(violated(together) == violated(apart));
    MESSAGE(s.name << " [" << s.kernel << "]: " << apart.stats.states << " states, " << together.stats.states
                   << " with the identical threads keyed as one");
  }
}

TEST_CASE("symmetry: the seed race with identical threads is found before the fix, by real threads, and not after") {
  for (bool writers : {false, true}) {
    CAPTURE(writers);
    for (const char* kernel : {"v6.1+198dd8ae", "v6.2"}) {
      SearchResult r = check(two_alike(kernel, writers), {"dirty_backed"});
      CHECK(r.verdict == Verdict::pass);
      CHECK(r.exhaustive);
    }
    Scenario before = two_alike("v6.1", writers);
    Executor e(build_program(before));
    SearchConfig c;
    c.check = {"dirty_backed"};
    SearchResult r = search(e, c);
    REQUIRE(r.verdict == Verdict::violation);
    ReplayOutcome o = replay(e, r.counterexamples[0].violation.decisions, "dirty_backed");
    CHECK(o.reproduced);
  }
}
