// The decision tree every depth-first strategy walks: the order it visits
// leaves in, and subtrees named by a prefix that together cover the tree.
#include <doctest/doctest.h>

#include <vector>

#include "search/path.hpp"

using namespace fsmc;

namespace {

using Leaf = std::vector<uint32_t>;

// Walks a tree whose every path is: a thread branch over threads {0, 1, 2},
// a value branch of 2 values, a thread branch over {0, 1}; returns the leaves.
std::vector<Leaf> walk(Path<>& path) {
  std::vector<Leaf> leaves;
  do {
    path.restart();
    Leaf leaf;
    for (int level = 0; level < 3; ++level) {
      if (path.replaying()) {
        leaf.push_back(path.replay_next().chosen);
      } else if (level == 1) {
        leaf.push_back(path.push(Path<>::value_branch(2)).chosen);
      } else {
        ThreadMask all = level == 0 ? 0b111 : 0b11;
        leaf.push_back(path.push(Path<>::thread_branch(all, level == 0 ? 2 : 0)).chosen);
      }
    }
    path.cut_to_depth();
    leaves.push_back(leaf);
  } while (path.advance());
  return leaves;
}

}  // namespace

TEST_CASE("path: every leaf once, the first option first and then the others ascending") {
  Path<> path;
  std::vector<Leaf> leaves = walk(path);
  REQUIRE(leaves.size() == 12);
  CHECK(leaves.front() == Leaf{2, 0, 0});
  CHECK(leaves[1] == Leaf{2, 0, 1});
  CHECK(leaves[2] == Leaf{2, 1, 0});
  CHECK(leaves[4] == Leaf{0, 0, 0});
  CHECK(leaves.back() == Leaf{1, 1, 1});
}

TEST_CASE("path: the subtrees below the prefixes of one level are the whole tree, in order") {
  Path<> whole;
  std::vector<Leaf> all = walk(whole);
  // The prefixes at depth 2, taken the way a split of the search takes them.
  std::vector<std::vector<Path<>::Branch>> prefixes;
  Path<> first;
  do {
    first.restart();
    for (int level = 0; level < 2; ++level) {
      if (first.replaying()) first.replay_next();
      else if (level == 1) first.push(Path<>::value_branch(2));
      else first.push(Path<>::thread_branch(0b111, 2));
    }
    prefixes.push_back(first.prefix(2));
  } while (first.advance());
  REQUIRE(prefixes.size() == 6);
  std::vector<Leaf> covered;
  for (const auto& prefix : prefixes) {
    Path<> below;
    below.fix(prefix);
    std::vector<Leaf> leaves = walk(below);
    CHECK(leaves.size() == 2);
    covered.insert(covered.end(), leaves.begin(), leaves.end());
  }
  CHECK(covered == all);
}

TEST_CASE("path: the estimate of the tree explored is exact on a uniform tree") {
  // walk() above, one leaf at a time: before the k-th leaf, k of 12 are done.
  Path<> path;
  int leaf = 0;
  do {
    path.restart();
    for (int level = 0; level < 3; ++level) {
      if (path.replaying()) path.replay_next();
      else if (level == 1) path.push(Path<>::value_branch(2));
      else path.push(Path<>::thread_branch(level == 0 ? 0b111 : 0b11, level == 0 ? 2 : 0));
    }
    CHECK(path.explored() == doctest::Approx(leaf / 12.0));
    ++leaf;
  } while (path.advance());
  CHECK(leaf == 12);
}
