// Timing that holds still on a shared, noisy machine: each figure is the
// median of several repetitions, each long enough to swamp the clock's cost.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include <time.h>

namespace fsmc::bench {

struct Settings {
  int repetitions = 9;
  double target_ms = 20;  // CPU time one repetition should take at least
};

struct Figure {
  double ns = 0;      // median over the repetitions, per operation
  double min_ns = 0;
  double max_ns = 0;
  uint64_t iterations = 0;  // operations per repetition
  int repetitions = 0;
};

// `batch(n)` performs n operations and returns the nanoseconds its timed part
// took (all of it, or only the part under study). The operation count is
// doubled until a whole batch takes target_ms of CPU time; that calibration
// also warms caches, stacks and the allocator before anything is recorded.
Figure measure(const Settings& settings, const std::function<double(uint64_t)>& batch);

// CPU time of the calling thread. On a shared machine a batch may wait while
// another process has the core; that wait is not the code's cost, and CPU
// time leaves it out. Reading this clock is a system call, which is why it
// only brackets whole batches.
inline double cpu_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <class F>
double cpu_ns(F&& f) {
  double start = cpu_now_ns();
  f();
  return cpu_now_ns() - start;
}

// For short windows inside a batch, where a system call per reading would
// cost more than what is timed: the wall clock, read without one.
using WallClock = std::chrono::steady_clock;

inline double wall_ns_since(WallClock::time_point start) {
  return std::chrono::duration<double, std::nano>(WallClock::now() - start).count();
}

}  // namespace fsmc::bench
