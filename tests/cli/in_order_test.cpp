// run_in_order (cli/in_file_order.hpp): results are taken in index order
// whatever order the workers finish in; a take that says stop ends it.
#include <doctest/doctest.h>

#include <latch>
#include <stdexcept>

#include "cli/in_file_order.hpp"

using fsmc::cli::run_in_order;

TEST_CASE("in order: results finished out of order are taken in index order") {
  // run(0) cannot finish before run(1) has: two workers finish them out of order.
  std::latch one_done(1);
  std::vector<std::size_t> taken;
  run_in_order<std::size_t>(
      5, 2,
      [&](std::size_t i) {
        if (i == 0) one_done.wait();
        if (i == 1) one_done.count_down();
        return i * 10;
      },
      [&](std::size_t i, std::size_t& r) {
        CHECK(r == i * 10);
        taken.push_back(i);
        return true;
      });
  CHECK(taken == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("in order: a take that returns false ends the taking, and a failure is thrown in its turn") {
  for (uint32_t workers : {1u, 3u}) {
    CAPTURE(workers);
    std::vector<std::size_t> taken;
    run_in_order<int>(
        8, workers, [](std::size_t) { return 0; },
        [&](std::size_t i, int&) {
          taken.push_back(i);
          return i < 2;
        });
    CHECK(taken == std::vector<std::size_t>{0, 1, 2});
    taken.clear();
    auto failing = [&] {
      run_in_order<int>(
          4, workers,
          [](std::size_t i) {
            if (i == 2) throw std::runtime_error("task 2");
            return 0;
          },
          [&](std::size_t i, int&) {
            taken.push_back(i);
            return true;
          });
    };
    CHECK_THROWS_WITH_AS(failing(), "task 2", std::runtime_error);
    CHECK(taken == std::vector<std::size_t>{0, 1});
  }
}
