// The visited table: each key once, its value kept across growth, and a
// flagged table's flag beside the value without telling keys apart.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>

#include "search/shared_states.hpp"
#include "search/visited_states.hpp"

using namespace fsmc;

namespace {

// Well mixed keys with the same top bit, as in one stripe of SharedStates.
uint64_t key_of(uint64_t i) {
  uint64_t z = (i + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  return (z ^ (z >> 31)) | (uint64_t{1} << 63);
}

}  // namespace

TEST_CASE("visited table: 20,000 keys through three growths, each stored once with its first value") {
  VisitedTable<uint32_t> table;
  for (uint64_t i = 0; i < 20000; ++i) {
    auto [slot, fresh] = table.try_emplace(key_of(i), static_cast<uint32_t>(i));
    CHECK(fresh);
  }
  CHECK(table.size() == 20000);
  CHECK(table.mask() + 1 == 32768);  // 4096 doubled three times: at most 3/4 full
  for (uint64_t i = 0; i < 20000; i += 7) {
    auto [slot, fresh] = table.try_emplace(key_of(i), 0);
    CHECK_FALSE(fresh);
    CHECK(slot->value == i);
    CHECK_FALSE(slot->flag());  // an unflagged table has none
  }
  CHECK(table.size() == 20000);
  uint64_t seen = 0;
  table.for_each([&](uint64_t key, uint32_t value) {
    CHECK(key == key_of(value));
    ++seen;
  });
  CHECK(seen == 20000);
}

TEST_CASE("visited table: a flagged table keeps the flag through growth and tells keys apart as before") {
  VisitedTable<uint32_t, true> table;
  for (uint64_t i = 0; i < 20000; ++i) {
    auto [slot, fresh] = table.try_emplace(key_of(i), static_cast<uint32_t>(i));
    REQUIRE(fresh);
    if (i % 3 == 0) slot->set_flag();
  }
  CHECK(table.size() == 20000);
  for (uint64_t i = 0; i < 20000; ++i) {
    auto [slot, fresh] = table.try_emplace(key_of(i), 0);
    CHECK_FALSE(fresh);
    CHECK(slot->value == i);
    CHECK(slot->flag() == (i % 3 == 0));
  }
  std::map<uint64_t, uint32_t> all;
  table.for_each([&](uint64_t key, uint32_t value) { all[key] = value; });
  CHECK(all.size() == 20000);
  CHECK(all.at(key_of(9) & ~(uint64_t{1} << 63)) == 9);  // keys come back without the flag's bit
}

TEST_CASE("shared states: visits narrow the sleep set, and done and explored set the flag once") {
  SharedStates states;
  uint64_t a = key_of(1), b = key_of(2), c = key_of(3);
  SharedStates::Visit first = states.visit(a, 0b110);
  CHECK(first.fresh);
  SharedStates::Visit again = states.visit(a, 0b011);
  CHECK_FALSE(again.fresh);
  CHECK(again.before.sleep == 0b110);
  CHECK_FALSE(again.before.done);
  states.done(a);
  SharedStates::Visit after = states.visit(a, 0b111);
  CHECK(after.before.sleep == 0b010);  // 110 narrowed by 011
  CHECK(after.before.done);

  states.explored(b, 0b1);
  CHECK(states.visit(b, 0b1).before.done);
  states.visit(c, 0b1);
  states.explored(c, 0b0);  // met already: left as it was
  SharedStates::Visit c_again = states.visit(c, 0b1);
  CHECK(c_again.before.sleep == 0b1);
  CHECK_FALSE(c_again.before.done);
  CHECK(states.size() == 3);
}

TEST_CASE("shared states: the memory a search needs counts one stripe's growth at a time") {
  // Keys of stripe s: top six bits s, the rest mixed.
  auto in_stripe = [](uint64_t s, uint64_t i) { return (s << 58) | (key_of(i) >> 6); };
  constexpr uint64_t slot = 12, first = 4096 * slot, grown = 8192 * slot;
  SharedStates states;
  CHECK(states.bytes_needed() == 64 * first);  // an empty stripe is about to take its first table
  states.visit(in_stripe(0, 0), 0);
  CHECK(states.bytes_needed() == 64 * first);
  // 2,765 keys put a first table in the tenth before its 3/4 load.
  for (uint64_t i = 1; i < 2765; ++i) states.visit(in_stripe(0, i), 0);
  CHECK(states.bytes_needed() == 63 * first + grown + first);  // grown, and the old table beside it while it grows
  for (uint64_t i = 0; i < 2765; ++i) states.visit(in_stripe(1, i), 0);
  CHECK(states.bytes_needed() == 62 * first + 2 * grown + first);  // not both old tables: one grows at a time
  CHECK(states.size() == 2 * 2765);
}
