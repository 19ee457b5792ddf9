// Reading a file the user named, with the reason in words when it cannot be.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace fsmc::cli {

// The whole file, if it is at most `max_bytes` long (`what` names the kind of
// file for the message); nullopt with `error` set ("PATH: is a directory", ...).
// Reads no more than the limit, so /dev/zero is an error, not a hang.
std::optional<std::string> read_input_file(const std::string& path, std::size_t max_bytes, const char* what,
                                           std::string& error);

}  // namespace fsmc::cli
