// The name tables of the model: every name parses back to its entry and
// prints as itself, every fix of the table reaches Kernel::from, and every
// op field is one the table's rules can judge.
#include <doctest/doctest.h>

#include <set>

#include "model/fixes.hpp"
#include "model/invariants.hpp"
#include "model/ops.hpp"
#include "model/states.hpp"

using namespace fsmc::model;

TEST_CASE("every op name finds its own entry, and its fields have distinct names other than op") {
  std::set<std::string> names;
  for (const OpInfo& op : op_table()) {
    CAPTURE(op.name);
    CHECK(find_op(op.name) == &op);
    CHECK(names.insert(op.name).second);
    CHECK(static_cast<bool>(op.run));
    std::set<std::string> fields;
    for (const OpField& f : op.fields) {
      CHECK(fields.insert(f.name).second);
      CHECK(std::string(f.name) != "op");
      CHECK(static_cast<bool>(f.set));
      CHECK(!field_summary(f).empty());
    }
  }
  CHECK(names.size() == 9);
  CHECK(find_op("teleport") == nullptr);
}

TEST_CASE("every fix name finds its fix, and each fix alone changes Kernel::from's result to that fix") {
  const Kernel none = Kernel::from({});
  CHECK(none.fixes.none());
  std::size_t i = 0;
  for (const FixInfo& f : fix_table()) {
    CAPTURE(f.name);
    CHECK(static_cast<std::size_t>(f.fix) == i++);
    REQUIRE(find_fix(f.name) != nullptr);
    CHECK(find_fix(f.name)->fix == f.fix);
    CHECK(std::string(find_fix(f.name)->name) == f.name);
    Kernel one = Kernel::from({{f.name, true}});
    CHECK(one.fixes != none.fixes);
    CHECK(one.fixes == fix_set({f.fix}));
    CHECK(one.has(f.fix));
    CHECK(Kernel::from({{f.name, false}}).fixes == none.fixes);
  }
  CHECK(i == static_cast<std::size_t>(Fix::count_));
  CHECK(find_fix("invalidate_lock") == nullptr);
}

TEST_CASE("every kernel name finds its variant, and each variant differs from the others") {
  std::set<unsigned long long> sets;
  for (const KernelInfo& k : kernel_table()) {
    CAPTURE(k.name);
    REQUIRE(find_kernel(k.name) == &k);
    CHECK(sets.insert(k.fixes.to_ullong()).second);
    // The fixes of a variant by name give the variant back.
    std::map<std::string, bool> on;
    for (const FixInfo& f : fix_table()) on[f.name] = k.fixes.test(static_cast<std::size_t>(f.fix));
    CHECK(Kernel::from(on).fixes == k.fixes);
  }
  CHECK(kernel_table().size() == 4);
  CHECK(find_kernel("v6.3") == nullptr);
}

TEST_CASE("every invariant name finds its entry, the model's have a check, the engine's none") {
  for (const InvariantInfo& i : invariant_table()) {
    CAPTURE(i.name);
    CHECK(find_invariant(i.name) == &i);
    bool engine = std::string(i.name) == "no_deadlock" || std::string(i.name) == "step_limit";
    CHECK(engine == (!i.every_step && !i.at_end));
    CHECK((i.reads == Reads::nothing) == !i.every_step);
  }
  CHECK(invariant_table().size() == 6);
  CHECK(find_invariant("dirty_backd") == nullptr);
}

TEST_CASE("extent and cache states print as their names and parse back, each value once") {
  for (uint8_t v = 0; v <= static_cast<uint8_t>(ExtentState::written); ++v) {
    auto e = static_cast<ExtentState>(v);
    CAPTURE(to_string(e));
    CHECK(std::string(to_string(e)) != "?");
    CHECK(parse_extent_state(to_string(e)) == e);
  }
  CHECK(std::size(extent_state_names) == 4);
  for (uint8_t v = 0; v <= static_cast<uint8_t>(CacheState::dirty); ++v) {
    auto c = static_cast<CacheState>(v);
    CAPTURE(to_string(c));
    CHECK(std::string(to_string(c)) != "?");
    CHECK(parse_cache_state(to_string(c)) == c);
  }
  CHECK(std::size(cache_state_names) == 3);
  CHECK(!parse_extent_state("dirty"));
  CHECK(!parse_cache_state("written"));
}
