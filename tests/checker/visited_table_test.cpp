// The visited table: each key once, its sleep set kept across growth, no
// key bit lost to the packing, and a flagged table's flag beside the value.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <set>

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
// Keys with the same top six bits, as in one stripe of SharedStates.
uint64_t stripe_key(uint64_t i) { return key_of(i) | uint64_t{63} << 58; }
constexpr SlotLayout stripe{.value_bits = 11, .flagged = true, .shared_bits = 6, .first_bits = 12};

}  // namespace

TEST_CASE("visited table: 100,000 keys through four growths, each stored once with its first sleep set") {
  VisitedTable table(serial_layout);
  for (uint64_t i = 0; i < 100000; ++i) {
    auto [entry, fresh] = table.try_emplace(key_of(i), static_cast<ThreadMask>(i));
    CHECK(fresh);
  }
  CHECK(table.size() == 100000);
  CHECK(table.mask() + 1 == 262144);  // 16,384 doubled four times: at most 3/4 full
  CHECK(table.bytes() == 262144 * 8);
  for (uint64_t i = 0; i < 100000; i += 7) {
    auto [entry, fresh] = table.try_emplace(key_of(i), 0);
    CHECK_FALSE(fresh);
    CHECK(entry.value() == ((i & 0xff) | 0xffffff00));  // threads past the 8th: asleep
    CHECK_FALSE(entry.flag());  // an unflagged table has none
  }
  CHECK(table.size() == 100000);
  std::set<uint64_t> stored, keys;
  table.for_each([&](uint64_t key, ThreadMask) { stored.insert(key); });
  for (uint64_t i = 0; i < 100000; ++i) keys.insert(key_of(i));
  CHECK(stored == keys);  // whole keys back, from the slots' bits and places
}

TEST_CASE("visited table: narrowing keeps asleep what both sleep sets have") {
  VisitedTable table(serial_layout);
  auto [entry, fresh] = table.try_emplace(key_of(1), 0b1011'0110);
  REQUIRE(fresh);
  entry.narrow(0b0011'1100);
  CHECK(table.try_emplace(key_of(1), 0).first.value() == 0xffff'ff34);
  entry.narrow(0);
  CHECK(table.try_emplace(key_of(1), 0).first.value() == 0xffff'ff00);
}

TEST_CASE("visited table: no key bit is lost, in the first table and after growth") {
  // Keys one bit apart from a base, at every bit a key has: each is new.
  auto every_bit_apart = [](VisitedTable& table, uint64_t base, unsigned bits) {
    uint64_t fresh = table.try_emplace(base, 0).second;
    for (unsigned b = 0; b < bits; ++b) fresh += table.try_emplace(base ^ (uint64_t{1} << b), 0).second;
    return fresh;
  };
  VisitedTable serial(serial_layout);
  CHECK(every_bit_apart(serial, key_of(7), 64) == 65);
  CHECK(serial.mask() + 1 == 16384);
  for (uint64_t i = 0; i < 50000; ++i) serial.try_emplace(key_of(1000 + i), 0);
  CHECK(serial.mask() + 1 == 131072);
  CHECK(every_bit_apart(serial, key_of(8), 64) == 65);
  CHECK(every_bit_apart(serial, key_of(7), 64) == 0);  // all met before the growths

  // A stripe's keys share their top six bits: the other 58 tell them apart.
  VisitedTable striped(stripe);
  CHECK(every_bit_apart(striped, stripe_key(7), 58) == 59);
  for (uint64_t i = 0; i < 20000; ++i) striped.try_emplace(stripe_key(1000 + i), 0);
  CHECK(striped.mask() + 1 == 32768);
  CHECK(every_bit_apart(striped, stripe_key(8), 58) == 59);
  CHECK(every_bit_apart(striped, stripe_key(7), 58) == 0);
}

TEST_CASE("visited table: keys that share a home past the furthest a slot can say grow the table until they part") {
  // 70 keys alike in their low 20 bits: one home in every table up to 2^20
  // slots, where a run of 70 would put entries 69 slots from home (62 at most).
  VisitedTable table(serial_layout);
  for (uint64_t i = 0; i < 70; ++i) CHECK(table.try_emplace(i << 20 | 0x12345, static_cast<ThreadMask>(i)).second);
  CHECK(table.mask() + 1 == 2097152);  // 2^21: bit 20 splits them in two runs of 35
  for (uint64_t i = 0; i < 70; ++i) {
    auto [entry, fresh] = table.try_emplace(i << 20 | 0x12345, 0);
    CHECK_FALSE(fresh);
    CHECK((entry.value() & 0xff) == i);
  }
  CHECK(table.size() == 70);
}

TEST_CASE("visited table: a flagged table keeps the flag through growth and tells keys apart as before") {
  VisitedTable table(stripe);
  for (uint64_t i = 0; i < 20000; ++i) {
    auto [entry, fresh] = table.try_emplace(stripe_key(i), static_cast<ThreadMask>(i));
    REQUIRE(fresh);
    if (i % 3 == 0) entry.set_flag();
  }
  CHECK(table.size() == 20000);
  CHECK(table.mask() + 1 == 32768);
  for (uint64_t i = 0; i < 20000; ++i) {
    auto [entry, fresh] = table.try_emplace(stripe_key(i), 0);
    CHECK_FALSE(fresh);
    CHECK((entry.value() & 0x7ff) == (i & 0x7ff));
    CHECK(entry.flag() == (i % 3 == 0));
  }
  std::map<uint64_t, ThreadMask> all;
  table.for_each([&](uint64_t key, ThreadMask value) { all[key] = value; });
  CHECK(all.size() == 20000);
  CHECK((all.at(stripe_key(9) & ~(uint64_t{63} << 58)) & 0x7ff) == 9);  // keys come back without the shared top bits
}

TEST_CASE("shared states: visits narrow the sleep set, and done and explored set the flag once") {
  SharedStates states;
  uint64_t a = key_of(1), b = key_of(2), c = key_of(3);
  SharedStates::Visit first = states.visit(a, 0b110);
  CHECK(first.fresh);
  SharedStates::Visit again = states.visit(a, 0b011);
  CHECK_FALSE(again.fresh);
  CHECK(again.before.sleep == (0b110 | ~ThreadMask{0x7ff}));  // threads past the 11th: asleep
  CHECK_FALSE(again.before.done);
  states.done(a);
  SharedStates::Visit after = states.visit(a, 0b111);
  CHECK((after.before.sleep & 0x7ff) == 0b010);  // 110 narrowed by 011
  CHECK(after.before.done);

  states.explored(b, 0b1);
  CHECK(states.visit(b, 0b1).before.done);
  states.visit(c, 0b1);
  states.explored(c, 0b0);  // met already: left as it was
  SharedStates::Visit c_again = states.visit(c, 0b1);
  CHECK((c_again.before.sleep & 0x7ff) == 0b1);
  CHECK_FALSE(c_again.before.done);
  CHECK(states.size() == 3);
}

TEST_CASE("shared states: the memory a search needs counts one stripe's growth at a time") {
  // Keys of stripe s: top six bits s, the rest mixed.
  auto in_stripe = [](uint64_t s, uint64_t i) { return (s << 58) | (key_of(i) >> 6); };
  constexpr uint64_t slot = 8, first = 4096 * slot, grown = 8192 * slot;
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
