#include "cli/input_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fsmc::cli {

std::optional<std::string> read_input_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    // Opening a directory succeeds on Linux and reads as empty, which would
    // surface as a puzzling JSON error.
    error = path + ": is a directory, not a file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read the file (does it exist?)";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = path + ": cannot read the file";
    return std::nullopt;
  }
  return text.str();
}

}  // namespace fsmc::cli
