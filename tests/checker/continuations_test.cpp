// every_continuation_violates: after which prefix of decisions no
// continuation escapes a violation, on a lost-update race with a known answer.
#include <doctest/doctest.h>

#include <memory>

#include "checker.hpp"
#include "random_program.hpp"
#include "search/continuations.hpp"
#include "search/dfs.hpp"

using namespace fsmc;
using namespace fsmc::testing;

namespace {

// Two threads each read a counter and write back read + 1; a final check
// wants 2. The update is lost exactly when both read before either writes.
Program lost_update() {
  return [](Builder& b) {
    ObjectId x = b.object("x");
    int* v = &b.make<int>(0);  // the execution's state, not a copy on the builder's stack
    for (int t = 0; t < 2; ++t)
      b.thread("t" + std::to_string(t), [x, v](Thread& th) {
        read(th, x, "load");
        int seen = *v;
        write(th, x, "store");
        *v = seen + 1;
      });
    b.final_check("sum", [v]() -> std::optional<std::string> {
      if (*v == 2) return std::nullopt;
      return "lost update";
    });
  };
}

}  // namespace

TEST_CASE("continuations: no escape once both threads have read, an escape before") {
  Executor exec(lost_update());
  // t0 load, t1 load: the update is lost whatever comes next.
  Continuations both = every_continuation_violates(exec, {0, 1}, "sum", 1000);
  CHECK(both.answer == Continuations::Answer::all_violate);
  CHECK(both.executions == 2);  // t0 stores first, or t1 does
  // t0 load alone: t0 may store before t1 loads.
  Continuations one = every_continuation_violates(exec, {0}, "sum", 1000);
  CHECK(one.answer == Continuations::Answer::some_escape);
  // From the start: some execution is fine.
  CHECK(every_continuation_violates(exec, {}, "sum", 1000).answer == Continuations::Answer::some_escape);
}

TEST_CASE("continuations: a cap or an impossible prefix gives no answer") {
  Executor exec(lost_update());
  CHECK(every_continuation_violates(exec, {0, 1}, "sum", 1).answer == Continuations::Answer::unknown);
  CHECK(every_continuation_violates(exec, {0, 0, 0, 0}, "sum", 1000).answer == Continuations::Answer::unknown);
}

namespace {

// The decisions of the first execution DFS finds violating `invariant`, or none.
std::vector<uint32_t> first_violation(Executor& exec, const std::string& invariant) {
  exec.check_only({invariant});
  Dfs dfs;
  while (dfs.next_execution()) {
    const RunResult& r = exec.run(dfs, {});
    if (r.end == RunResult::End::violation) return r.decisions;
  }
  return {};
}

}  // namespace

// The continuations resume from states saved at DFS's branches below the
// prefix: the answers and execution counts must be those of executions
// that each start from the initial state and replay the prefix.
TEST_CASE("continuations: resuming from saved states gives the answers of replaying") {
  uint64_t probes = 0, executions = 0, resumed = 0, resumed_capped = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    RandomProgram p = random_program(seed);
    Executor replaying(build(p, nullptr, nullptr), {.restore = false});
    Executor restoring(build(p, nullptr, nullptr));
    // Room for one saved state: the rest replay from it.
    Executor capped(build(p, nullptr, nullptr), {.restore_bytes = 1});
    std::vector<uint32_t> trace = first_violation(replaying, "not_both_odd");
    for (std::size_t n = 0; n < trace.size(); ++n) {
      CAPTURE(n);
      std::vector<uint32_t> prefix(trace.begin(), trace.begin() + static_cast<std::ptrdiff_t>(n));
      for (uint64_t cap : {uint64_t{3}, uint64_t{1000}}) {
        Continuations a = every_continuation_violates(replaying, prefix, "not_both_odd", cap);
        Continuations b = every_continuation_violates(restoring, prefix, "not_both_odd", cap);
        Continuations c = every_continuation_violates(capped, prefix, "not_both_odd", cap);
        REQUIRE(a.answer == b.answer);
        REQUIRE(a.executions == b.executions);
        REQUIRE(a.answer == c.answer);
        REQUIRE(a.executions == c.executions);
        ++probes;
        executions += a.executions;
      }
    }
    CHECK(replaying.resumed() == 0);
    resumed += restoring.resumed();
    resumed_capped += capped.resumed();
  }
  // Most executions after each probe's first resume.
  CHECK(resumed > (executions - probes) / 2);
  CHECK(resumed_capped == resumed);
  MESSAGE(probes, " probes on 300 random programs: ", executions, " executions, ", resumed,
          " resumed; with a 1-byte cap ", resumed_capped);
}
