// Reading a file the user named, with the reason in words when it cannot be.
#pragma once

#include <optional>
#include <string>

namespace fsmc::cli {

// The whole file; nullopt with `error` set ("PATH: is a directory", ...).
std::optional<std::string> read_input_file(const std::string& path, std::string& error);

}  // namespace fsmc::cli
