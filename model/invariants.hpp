// The contract's invariants as predicates over the inode: nullopt when the
// predicate holds, else what is wrong in plain words. invariant_table() is
// the one list of them: build_program registers each from it, and
// `fsmc list invariants`, the scenario reader and the docs test read it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/inode.hpp"

namespace fsmc::model {

std::optional<std::string> dirty_backed(const Inode& ip, uint32_t page);
std::optional<std::string> dirty_backed(const Inode& ip);
std::optional<std::string> reservations(const Inode& ip);
std::optional<std::string> reservations_at_quiescence(const Inode& ip);
std::optional<std::string> no_lost_data(const Inode& ip);
std::optional<std::string> no_warning(const Inode& ip);

// What an invariant's every-step check reads: the engine objects it declares,
// which a reduced search must keep in order with the steps that write them.
enum class Reads : uint8_t {
  nothing,          // no every-step check
  page_and_extent,  // one instance per page: its folio and its block
  reserved_count,   // i_delayed_blks (see build_program for why that is enough)
  warnings,         // the WARN_ONs that fired
};

using PageCheck = std::optional<std::string> (*)(const Inode&, uint32_t page);
using FinalCheck = std::optional<std::string> (*)(const Inode&);

struct InvariantInfo {
  const char* name;
  const char* description;
  Reads reads;
  PageCheck every_step;  // null: none; the page is that of the instance (page_and_extent only)
  FinalCheck at_end;     // null: none; run once all threads have finished
};

// The model's invariants, then the engine's own (no_deadlock, step_limit),
// which have no check here.
std::span<const InvariantInfo> invariant_table();
const InvariantInfo* find_invariant(std::string_view name);

}  // namespace fsmc::model
