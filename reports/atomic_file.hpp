// Reports are written whole or not at all: into a temporary file beside the
// target, then renamed over it. Where they go is checked before a search
// starts, so that hours of searching are not lost to a typo in a path.
#pragma once

#include <optional>
#include <string>

namespace fsmc::reports {

// False (with `error` set) when the file could not be written. The file's
// folder must exist.
bool write_atomically(const std::string& path, const std::string& contents, std::string& error);

// Why a report could not be written to the file `path` (its folder missing
// or not writable, or `path` a directory or a device), or nullopt.
std::optional<std::string> file_target_problem(const std::string& path);

// Why traces could not be written into the directory `path` (created when
// the first one is written): it, or the nearest folder above it that exists,
// must be a writable directory. Creates nothing.
std::optional<std::string> directory_target_problem(const std::string& path);

}  // namespace fsmc::reports
