// Counting replacements of the global allocation functions, for tests that
// check what searches leave on the heap. Include from exactly one source file
// of a test binary: they replace the allocator for the whole binary, so they
// only count (atomically, since the test runner may use threads) and
// otherwise behave as the library's: malloc and free underneath, bad_alloc on
// failure. libstdc++ routes new[], delete[], the nothrow and the sized forms
// through these two; over-aligned forms keep their own matching pair and are
// not counted.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace fsmc::testing {
inline std::atomic<int64_t> live_heap_blocks{0};
}

void* operator new(std::size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) throw std::bad_alloc();
  fsmc::testing::live_heap_blocks.fetch_add(1, std::memory_order_relaxed);
  return p;
}

// Out of line: inlined into a caller, GCC would see free() meet a pointer
// from new and warn (-Wmismatched-new-delete), though here they do match.
[[gnu::noinline]] void operator delete(void* p) noexcept {
  if (!p) return;
  fsmc::testing::live_heap_blocks.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
