// Op's declared objects: exact ranges up to Op::max_ranges, widened (never
// overflowed) beyond.
#include <doctest/doctest.h>

#include <vector>

#include "rt/op.hpp"

using namespace fsmc;

namespace {

struct Declared {
  ObjectId first;
  uint32_t count;
  AccessKind kind;
  bool operator==(const Declared&) const = default;
};

std::vector<Declared> ranges(const Op& op) {
  std::vector<Declared> out;
  for (unsigned i = 0; i < op.n_ranges; ++i) out.push_back({op.accesses[i].first, op.accesses[i].count, op.accesses[i].kind});
  return out;
}

constexpr AccessKind R = AccessKind::read, U = AccessKind::update, W = AccessKind::write;

}  // namespace

TEST_CASE("consecutive objects of one kind make one range, in any order of declaration") {
  Op op;
  for (ObjectId o : {7u, 5u, 6u, 8u}) op.reads(o);
  CHECK(ranges(op) == std::vector<Declared>{{5, 4, R}});
  CHECK(op.object == 7);  // the first declared stays the step's main object
}

TEST_CASE("a range of 64 pages is one entry") {
  Op op;
  op.reads(100, 64).writes(200, 64).updates(1);
  CHECK(ranges(op) == std::vector<Declared>{{1, 1, U}, {100, 64, R}, {200, 64, W}});
}

TEST_CASE("reading and updating one object inside a range makes that object a write") {
  Op op;
  op.reads(10, 5).updates(12);
  CHECK(ranges(op) == std::vector<Declared>{{10, 2, R}, {12, 1, W}, {13, 2, R}});
  op.reads(12).writes(12);  // already a read-modify-write: nothing changes
  CHECK(ranges(op).size() == 3);
}

TEST_CASE("declaring an object twice the same way changes nothing") {
  Op op;
  op.writes(3).writes(3).reads(4).reads(4);
  CHECK(ranges(op) == std::vector<Declared>{{3, 1, W}, {4, 1, R}});
}

TEST_CASE("too many ranges widen the closest two, covering what lies between") {
  Op op;
  for (ObjectId o : {0u, 10u, 20u, 30u, 40u, 50u}) op.reads(o);
  REQUIRE(op.n_ranges == Op::max_ranges);
  op.writes(52);  // seventh range: 50 and 52 are closest, kinds differ
  CHECK(ranges(op) == std::vector<Declared>{{0, 1, R}, {10, 1, R}, {20, 1, R}, {30, 1, R}, {40, 1, R}, {50, 3, W}});
}

TEST_CASE("widening keeps every declared object covered with at least its kind") {
  Op op;
  std::vector<std::pair<ObjectId, AccessKind>> declared;
  for (ObjectId o = 0; o < 300; o += 7) {
    AccessKind k = o % 3 == 0 ? R : o % 3 == 1 ? U : W;
    op.touch(o, k);
    declared.push_back({o, k});
  }
  CHECK(op.n_ranges <= Op::max_ranges);
  for (auto [object, k] : declared) {
    ObjectId o = object;  // CHECK_MESSAGE takes it in a lambda: clang 14 cannot capture a binding
    bool covered = false;
    for (unsigned i = 0; i < op.n_ranges; ++i)
      if (op.accesses[i].contains(o)) covered = op.accesses[i].kind == k || op.accesses[i].kind == W;
    CHECK_MESSAGE(covered, "object ", o);
  }
}
