// What AddressSanitizer must be told about the fibers' stacks; nothing in a
// build without it. ASan poisons the frames of a function while it runs and
// unpoisons them when it returns, so a fiber abandoned mid-step leaves its
// stack poisoned; and it takes the stack it is on to be the thread's unless
// told of each switch.
#pragma once

#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FSMC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FSMC_ASAN 1
#endif

#ifdef FSMC_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace fsmc::asan {

// A stack handed to a new fiber: whatever frames were left on it are gone.
inline void forget_frames([[maybe_unused]] const void* bottom, [[maybe_unused]] std::size_t size) {
#ifdef FSMC_ASAN
  __asan_unpoison_memory_region(bottom, size);
#endif
}

// Around every switch: `start` on the old stack naming the new one,
// `finish` first thing on the new one, learning the old one's bounds.
// (No fake stacks are saved: detect_stack_use_after_return stays off.)
inline void start_switch([[maybe_unused]] const void* bottom, [[maybe_unused]] std::size_t size) {
#ifdef FSMC_ASAN
  __sanitizer_start_switch_fiber(nullptr, bottom, size);
#endif
}

inline void finish_switch([[maybe_unused]] const void** old_bottom, [[maybe_unused]] std::size_t* old_size) {
#ifdef FSMC_ASAN
  __sanitizer_finish_switch_fiber(nullptr, old_bottom, old_size);
#endif
}

}  // namespace fsmc::asan
