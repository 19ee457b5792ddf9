// Running the built fsmc binary the way a user or a CI job does, from the
// source tree so that scenario paths are relative to it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cli_test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every scratch path of this process starts with this (CTest may run test
// cases in parallel, each in its own process).
inline std::string scratch_prefix() { return "fsmc-cli-" + std::to_string(getpid()) + "-"; }

// Removes this process's scratch directories when the test program exits.
struct ScratchCleanup {
  ~ScratchCleanup() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec))
      if (e.path().filename().string().rfind(scratch_prefix(), 0) == 0) fs::remove_all(e.path(), ec);
  }
};
inline const ScratchCleanup scratch_cleanup;

// An empty directory that does not exist yet, private to this process.
inline fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / (scratch_prefix() + name);
  fs::remove_all(d);
  return d;
}

struct Result {
  int exit;
  std::string out;
  std::string err;
};

// `args` go through the shell: keep them to plain words.
inline Result fsmc(const std::string& args) {
  fs::path dir = fs::temp_directory_path() / (scratch_prefix() + "io");
  fs::create_directories(dir);
  std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::string cmd = "cd " FSMC_SOURCE_DIR " && " FSMC_BINARY " " + args + " >" + out + " 2>" + err + " </dev/null";
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

}  // namespace cli_test
