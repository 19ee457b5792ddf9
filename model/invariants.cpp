// The invariants of the scenario format (docs/scenario-format.md) over the model state.
#include "model/invariants.hpp"

#include <string>

#include "model/names.hpp"
#include "rt/trace.hpp"

namespace fsmc::model {

namespace {

std::string who(const Inode& ip, const Origin& o) {
  if (o.thread == no_thread) return "the initial state";
  return (*ip.thread_names)[o.thread] + " in " + o.function + " at step " + std::to_string(o.step);
}

// "the mmap store by mapper at step 15", "the truncate by admin at step 9"
std::string data_name(const Inode& ip, const Promise& p, Data d) {
  if (p.by.thread == no_thread) return d == zeros ? "zeros" : "the initial contents";
  return "the " + std::string(p.what) + " by " + (*ip.thread_names)[p.by.thread] + " at step " + std::to_string(p.by.step);
}

// After a final sync and eviction, what a read of `page` returns. Works on a
// copy: the execution's state is left as it was.
Sectors read_after_sync_and_evict(const Inode& ip, uint32_t page) {
  const Folio& f = ip.cache[page];
  ExtentState e = ip.i_df[page];
  if (f.present && f.dirty) {
    // xfs_map_blocks: a hole is skipped and the data dropped; delalloc and
    // unwritten blocks are written and become real.
    if (e == ExtentState::hole) return Sectors{};
    return f.data;
  }
  return e == ExtentState::written ? ip.disk[page] : Sectors{};
}

std::string data_word(Data d) { return d == zeros ? "zeros" : d == initial_data ? "the initial contents" : "other data"; }

}  // namespace

std::optional<std::string> dirty_backed(const Inode& ip, uint32_t p) {
  const Folio& f = ip.cache[p];
  if (!(f.present && f.dirty && ip.i_df[p] == ExtentState::hole)) return std::nullopt;
  return "page " + std::to_string(p) + " is dirty but its extent is a hole (made a hole by " +
         who(ip, ip.holed_by[p]) + "): writeback will skip it and its data will be lost";
}

std::optional<std::string> dirty_backed(const Inode& ip) {
  for (uint32_t p = 0; p < ip.pages(); ++p)
    if (auto m = dirty_backed(ip, p)) return m;
  return std::nullopt;
}

std::optional<std::string> reservations(const Inode& ip) {
  int64_t delalloc = 0;
  uint64_t allocated = 0;
  for (ExtentState e : ip.i_df) {
    delalloc += e == ExtentState::delalloc;
    allocated += e == ExtentState::unwritten || e == ExtentState::written;
  }
  if (ip.i_delayed_blks < 0)
    return "the reserved-block count is negative (" + std::to_string(ip.i_delayed_blks) + ")";
  if (ip.i_delayed_blks != delalloc)
    return "reserved blocks (" + std::to_string(ip.i_delayed_blks) + ") differ from delalloc blocks (" +
           std::to_string(delalloc) + ")";
  if (ip.total_blocks && *ip.m_fdblocks + delalloc + allocated != *ip.total_blocks)
    return "free (" + std::to_string(*ip.m_fdblocks) + ") + reserved (" + std::to_string(delalloc) + ") + allocated (" +
           std::to_string(allocated) + ") blocks differ from the " + std::to_string(*ip.total_blocks) + " there were";
  return std::nullopt;
}

std::optional<std::string> reservations_at_quiescence(const Inode& ip) {
  for (uint32_t p = 0; p < ip.size_pages() && p < ip.pages(); ++p)
    if (ip.i_df[p] == ExtentState::delalloc && !(ip.cache[p].present && ip.cache[p].dirty))
      return "page " + std::to_string(p) + " keeps a delalloc reservation with no dirty folio over it: " +
             "nothing will ever write or release it";
  return std::nullopt;
}

std::optional<std::string> no_lost_data(const Inode& ip) {
  for (uint32_t p = 0; p < ip.size_pages() && p < ip.pages(); ++p) {
    const Promise& want = ip.promised[p];
    if (want.any) continue;
    Sectors got = read_after_sync_and_evict(ip, p);
    for (uint32_t s = 0; s < sectors_per_page && p * page_size + s * sector_size < ip.i_size; ++s) {
      if (got[s] == want.data[s]) continue;
      std::string where = "page " + std::to_string(p) + (s ? " sector " + std::to_string(s) : "");
      // One origin per page: name it only when it promised this sector.
      bool named = want.data[s] == want.tag;
      return "after a final sync and eviction " + where + " reads as " + data_word(got[s]) + ", but " +
             (named ? data_name(ip, want, want.data[s]) + " was the last to complete there"
                    : data_word(want.data[s]) + " should be there");
    }
  }
  return std::nullopt;
}

std::optional<std::string> no_warning(const Inode& ip) {
  if (ip.warning.empty()) return std::nullopt;
  return "WARN_ON: " + ip.warning;
}

namespace {

constexpr InvariantInfo invariants[] = {
    {"dirty_backed", "every dirty folio lies over a delalloc, unwritten or written extent (every step)",
     Reads::page_and_extent, [](const Inode& ip, uint32_t p) { return dirty_backed(ip, p); }, nullptr},
    {"reservations",
     "reserved blocks equal delalloc blocks, and with file.free_blocks free + reserved + allocated stays "
     "constant (every step); at quiescence no delalloc block inside EOF lacks a dirty folio",
     Reads::reserved_count, [](const Inode& ip, uint32_t) { return reservations(ip); }, reservations_at_quiescence},
    {"no_lost_data",
     "at quiescence, after a final sync and eviction, every sector below EOF reads as its last completed "
     "write or store (truncate and punch_hole excepted; zeros where growth brought it back inside EOF)",
     Reads::nothing, nullptr, no_lost_data},
    {"no_warning", "no WARN_ON of the modelled kernel code fires (every step)", Reads::warnings,
     [](const Inode& ip, uint32_t) { return no_warning(ip); }, nullptr},
    {no_deadlock, "some thread can always move until all have finished", Reads::nothing, nullptr, nullptr},
    {step_limit, "every execution ends within the step limit", Reads::nothing, nullptr, nullptr},
};

}  // namespace

std::span<const InvariantInfo> invariant_table() { return invariants; }

const InvariantInfo* find_invariant(std::string_view name) { return row_named(invariant_table(), name); }

}  // namespace fsmc::model
