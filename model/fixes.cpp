// The fixes the model knows and the kernel variants made of them. These
// names are part of the scenario contract.
#include "model/fixes.hpp"

#include "model/names.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

namespace {

constexpr FixInfo fix_list[] = {
    {Fix::invalidate_lock_punch, "invalidate_lock_punch", "198dd8ae",
     "the short-write cleanup in xfs_buffered_write_iomap_end takes invalidate_lock exclusively "
     "around truncate_pagecache_range + xfs_bmap_punch_delalloc_range, and returns early when the mapping "
     "was not newly reserved or was wholly written"},
    {Fix::mkwrite_no_iomap_end, "mkwrite_no_iomap_end", "118e021b",
     "page faults map through xfs_page_mkwrite_iomap_ops, which has no ->iomap_end"},
    {Fix::punch_keeps_dirty_cache, "punch_keeps_dirty_cache", "f43dc4dc (with b71f889c, 9c7babf9, 7348b322)",
     "the cleanup no longer truncates the page cache; "
     "iomap_file_buffered_write_punch_delalloc walks the cached data and punches delalloc only where "
     "no dirty folio sits, under invalidate_lock"},
    {Fix::iomap_valid, "iomap_valid", "d7b64041 + 304a68b9",
     "the write path checks the mapping's sequence cookie after locking each folio "
     "(xfs_iomap_valid) and remaps when the extent map changed underneath it"},
    {Fix::discard_folio_end, "discard_folio_end", "8ac5b996",
     "after a writeback mapping error, xfs_discard_folio punches to the end of the folio instead of "
     "round_up(pos, folio size), which is pos itself at a folio's first byte (the v6.2 off-by-one of 7348b322)"},
    {Fix::seek_hole_race, "seek_hole_race", "7a9d43eace88",
     "the punch scan (iomap_write_delalloc_release) treats SEEK_HOLE returning the SEEK_DATA "
     "offset as no data there (a clean folio evicted in between) instead of WARNing"},
};

constexpr bool one_entry_per_fix_in_order() {
  if (std::size(fix_list) != static_cast<std::size_t>(Fix::count_)) return false;
  for (std::size_t i = 0; i < std::size(fix_list); ++i)
    if (fix_list[i].fix != static_cast<Fix>(i)) return false;
  return true;
}
static_assert(one_entry_per_fix_in_order(), "fix_table needs one entry per Fix, in the enum's order");

constexpr KernelInfo kernels[] = {
    {"v6.1", "Linux v6.1, before the November 2022 delalloc punch series", {}},
    {"v6.1+198dd8ae", "v6.1 with the seed fix alone (punch under invalidate_lock)", fix_set({Fix::invalidate_lock_punch})},
    {"v6.2",
     "v6.2-rc1: the whole series (118e021b, 198dd8ae, b71f889c, 9c7babf9, f43dc4dc, 7348b322, d7b64041, "
     "304a68b9, 6e8af15c)",
     fix_set({Fix::invalidate_lock_punch, Fix::mkwrite_no_iomap_end, Fix::punch_keeps_dirty_cache, Fix::iomap_valid})},
    {"v6.2+8ac5b996", "v6.2 with the xfs_discard_folio off-by-one fixed, as in v6.3-rc1",
     fix_set({Fix::invalidate_lock_punch, Fix::mkwrite_no_iomap_end, Fix::punch_keeps_dirty_cache, Fix::iomap_valid,
              Fix::discard_folio_end})},
};

}  // namespace

std::span<const FixInfo> fix_table() { return fix_list; }
std::span<const KernelInfo> kernel_table() { return kernels; }

const FixInfo* find_fix(std::string_view name) { return row_named(fix_table(), name); }
const KernelInfo* find_kernel(std::string_view name) { return row_named(kernel_table(), name); }

Kernel Kernel::from(const std::map<std::string, bool>& effective) {
  Kernel k;
  for (const FixInfo& f : fix_list) {
    auto it = effective.find(f.name);
    if (it != effective.end() && it->second) k.fixes.set(static_cast<std::size_t>(f.fix));
  }
  return k;
}

std::map<std::string, bool> effective_fixes(const Scenario& scenario) {
  const KernelInfo* kernel = find_kernel(scenario.kernel);
  std::map<std::string, bool> out;
  for (const FixInfo& f : fix_list) out[f.name] = kernel && kernel->fixes.test(static_cast<std::size_t>(f.fix));
  for (const auto& [name, on] : scenario.fixes) out[name] = on;
  return out;
}

}  // namespace fsmc::model
