// Work on several threads whose results are taken in order: `fsmc check
// --jobs N` searches several scenarios at once and prints them as the
// serial gate does, in file order.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fsmc::cli {

// Runs run(0) ... run(n - 1) on `workers` threads (this one waits) and
// hands each result to take(i, result) on this thread, in index order, as
// soon as those before it were taken. The first take that returns false
// stops the work: nothing is started after it, what runs is waited for,
// and nothing more is taken. An exception of run(i) is thrown here, in
// its turn. With one worker, everything runs on this thread, one by one.
template <class Result>
void run_in_order(std::size_t n, uint32_t workers, const std::function<Result(std::size_t)>& run,
                  const std::function<bool(std::size_t, Result&)>& take) {
  if (workers <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      Result r = run(i);
      if (!take(i, r)) return;
    }
    return;
  }
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr failure;
  };
  std::vector<Slot> slots(n);
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (std::size_t i; !stop && (i = next.fetch_add(1)) < n;) {
      Slot s;
      try {
        s.result.emplace(run(i));
      } catch (...) {
        s.failure = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        slots[i] = std::move(s);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t w = 0; w < std::min<std::size_t>(workers, n); ++w) threads.emplace_back(work);
  std::exception_ptr failure;  // the threads are joined before it is thrown
  try {
    for (std::size_t i = 0; i < n; ++i) {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return slots[i].result || slots[i].failure; });
      Slot s = std::move(slots[i]);
      lock.unlock();
      if (s.failure) std::rethrow_exception(s.failure);
      if (!take(i, *s.result)) break;
    }
  } catch (...) {
    failure = std::current_exception();
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace fsmc::cli
