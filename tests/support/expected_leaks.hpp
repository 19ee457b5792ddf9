// For a test that leaks on purpose: while one of these lives on the current
// thread, LeakSanitizer (part of ASan, in the sanitizer build) does not
// report what is allocated. Nothing without ASan.
#pragma once

#include "rt/asan_fiber.hpp"

#ifdef FSMC_ASAN
#include <sanitizer/lsan_interface.h>
#endif

namespace fsmc::testing {

struct ExpectedLeaks {
#ifdef FSMC_ASAN
  ExpectedLeaks() { __lsan_disable(); }
  ~ExpectedLeaks() { __lsan_enable(); }
#endif
};

}  // namespace fsmc::testing
