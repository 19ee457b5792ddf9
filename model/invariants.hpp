// The contract's invariants as predicates over the inode: nullopt when the
// predicate holds, else what is wrong in plain words.
#pragma once

#include <optional>
#include <string>

#include "model/inode.hpp"

namespace fsmc::model {

std::optional<std::string> dirty_backed(const Inode& ip, uint32_t page);
std::optional<std::string> dirty_backed(const Inode& ip);
std::optional<std::string> reservations(const Inode& ip);
std::optional<std::string> reservations_at_quiescence(const Inode& ip);
std::optional<std::string> no_lost_data(const Inode& ip);
std::optional<std::string> no_warning(const Inode& ip);

}  // namespace fsmc::model
