#include "reports/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace fsmc::reports {

namespace fs = std::filesystem;

bool write_atomically(const std::string& path, const std::string& contents, std::string& error) {
  std::error_code ec;
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      error = path + ": cannot write (" + (errno ? std::strerror(errno) : "an output error") + ")";
      fs::remove(tmp, ec);
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = path + ": cannot write (" + std::strerror(errno) + ")";
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

namespace {

std::optional<std::string> folder_problem(const fs::path& folder, const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return path + ": cannot write (" + folder.string() + " is not a directory)";
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    return path + ": cannot write into " + folder.string() + " (" + std::strerror(errno) + ")";
  return std::nullopt;
}

fs::path folder_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

}  // namespace

std::optional<std::string> file_target_problem(const std::string& path) {
  if (path.empty()) return std::string("expected a file name, got \"\"");
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    return path + ": cannot write (expected a regular file to replace, got " +
           (fs::is_directory(status) ? "a directory" : "a device or other special file") + ")";
  fs::path folder = folder_of(path);
  if (!fs::exists(folder, ec)) return path + ": cannot write (the folder " + folder.string() + " does not exist)";
  return folder_problem(folder, path);
}

std::optional<std::string> directory_target_problem(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  if (fs::exists(p, ec)) return folder_problem(p, path);
  // The nearest folder above it that exists is where it will be created.
  fs::path above = folder_of(p);
  while (!fs::exists(above, ec) && above.has_parent_path() && above != above.parent_path()) above = above.parent_path();
  if (!fs::exists(above, ec)) above = ".";
  return folder_problem(above, path);
}

}  // namespace fsmc::reports
