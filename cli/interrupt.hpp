// SIGINT and SIGTERM during a search: the first one asks the search to stop
// and report what it has (the verdict so far, the traces of violations
// already found, the JSON and JUnit); a second one ends fsmc at once.
#pragma once

#include <atomic>

namespace fsmc::cli {

// Installs the handlers (once) and returns the flag they set, for
// SearchConfig::interrupt.
const std::atomic<bool>* interrupt_flag();

}  // namespace fsmc::cli
