#include "cli/terminal_width.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace fsmc::cli {

std::size_t line_width(std::optional<std::size_t> chosen) {
  if (chosen) return *chosen;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    unsigned long n = std::strtoul(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0 && n <= 100000) return n;
  }
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace fsmc::cli
