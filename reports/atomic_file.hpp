// Reports are written whole or not at all: into a temporary file beside the
// target, then renamed over it.
#pragma once

#include <string>

namespace fsmc::reports {

// False (with `error` set) when the file could not be written.
bool write_atomically(const std::string& path, const std::string& contents, std::string& error);

}  // namespace fsmc::reports
