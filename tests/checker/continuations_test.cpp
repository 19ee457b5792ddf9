// every_continuation_violates: after which prefix of decisions no
// continuation escapes a violation, on a lost-update race with a known answer.
#include <doctest/doctest.h>

#include <memory>

#include "checker.hpp"
#include "search/continuations.hpp"

using namespace fsmc;

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
