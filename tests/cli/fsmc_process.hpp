// Running the built fsmc binary the way a user or a CI job does, from the
// source tree so that scenario paths are relative to it.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Runs a shell command line from the source tree; its output is captured.
inline Result shell(const std::string& command) {
  fs::path dir = fs::temp_directory_path() / (scratch_prefix() + "io");
  fs::create_directories(dir);
  std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::string cmd = "cd " FSMC_SOURCE_DIR " && " + command + " >" + out + " 2>" + err + " </dev/null";
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

// `args` go through the shell: keep them to plain words.
inline Result fsmc(const std::string& args) { return shell(FSMC_BINARY " " + args); }

// A running fsmc, for tests that act on it while it searches (signals).
struct Child {
  pid_t pid;
  fs::path out, err;
};

// Starts fsmc with `args` (plain words, split at spaces), stdout and stderr
// to files in `dir`. No shell stands between: the pid is fsmc's.
inline Child start_fsmc(const std::string& args, const fs::path& dir) {
  fs::create_directories(dir);
  Child c{-1, dir / "stdout", dir / "stderr"};
  std::vector<std::string> words{FSMC_BINARY};
  std::istringstream split(args);
  for (std::string w; split >> w;) words.push_back(w);
  c.pid = fork();
  if (c.pid == 0) {
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    int in = open("/dev/null", O_RDONLY), out = open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
        err = open(c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || chdir(FSMC_SOURCE_DIR) != 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return c;
}

// Whether fsmc has its own handler for `sig` yet (the SigCgt mask of
// /proc/PID/status, once the child runs fsmc and no longer the handlers it
// inherited from the test program): before that, a signal would kill it.
inline bool catches(pid_t pid, int sig) {
  std::error_code ec;
  if (fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec) != fs::canonical(FSMC_BINARY, ec)) return false;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1;
  return false;
}

// Whether the child is still running (not yet exited and waiting to be reaped).
inline bool running(const Child& c) {
  std::string stat = slurp("/proc/" + std::to_string(c.pid) + "/stat");
  std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

// Polls until `ready` or the child has ended (no deadline of its own: the
// child's --seconds cap ends it); returns `ready`.
template <class Ready>
inline bool wait_until(const Child& c, Ready ready) {
  while (!ready() && running(c)) usleep(20000);
  return ready();
}

inline Result finish(const Child& c) {
  int status = 0;
  waitpid(c.pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(c.out), slurp(c.err)};
}

}  // namespace cli_test
