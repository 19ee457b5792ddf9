#include "cli/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fsmc::cli {

namespace {

std::string size_text(std::size_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::optional<std::string> read_input_file(const std::string& path, std::size_t max_bytes, const char* what,
                                           std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    // Opening a directory succeeds on Linux and reads as empty, which would
    // surface as a puzzling JSON error.
    error = path + ": is a directory, not a file";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read the file (" + (errno ? std::strerror(errno) : "does it exist?") + ")";
    return std::nullopt;
  }
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= max_bytes && in.read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    error = path + ": cannot read the file";
    return std::nullopt;
  }
  if (text.size() > max_bytes) {
    error = path + ": larger than " + size_text(max_bytes) + ", the limit for " + what;
    return std::nullopt;
  }
  return text;
}

}  // namespace fsmc::cli
