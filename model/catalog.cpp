// The names the model knows: kernel variants, fixes, operations, invariants.
// These names are part of the scenario contract.
#include <algorithm>

#include "model/fixes.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

const std::vector<Named>& fixes() {
  static const std::vector<Named> all = {
      {"invalidate_lock_punch",
       "198dd8ae: the short-write cleanup in xfs_buffered_write_iomap_end takes invalidate_lock exclusively "
       "around truncate_pagecache_range + xfs_bmap_punch_delalloc_range, and returns early when the mapping "
       "was not newly reserved or was wholly written"},
      {"mkwrite_no_iomap_end",
       "118e021b: page faults map through xfs_page_mkwrite_iomap_ops, which has no ->iomap_end"},
      {"punch_keeps_dirty_cache",
       "f43dc4dc (with b71f889c, 9c7babf9, 7348b322): the cleanup no longer truncates the page cache; "
       "iomap_file_buffered_write_punch_delalloc walks the cached data and punches delalloc only where "
       "no dirty folio sits, under invalidate_lock"},
      {"iomap_valid",
       "d7b64041 + 304a68b9: the write path checks the mapping's sequence cookie after locking each folio "
       "(xfs_iomap_valid) and remaps when the extent map changed underneath it"},
      {"discard_folio_end",
       "8ac5b996: after a writeback mapping error, xfs_discard_folio punches to the end of the folio instead of "
       "round_up(pos, folio size), which is pos itself at a folio's first byte (the v6.2 off-by-one of 7348b322)"},
      {"seek_hole_race",
       "7a9d43eace88: the punch scan (iomap_write_delalloc_release) treats SEEK_HOLE returning the SEEK_DATA "
       "offset as no data there (a clean folio evicted in between) instead of WARNing"},
  };
  return all;
}

const std::vector<KernelInfo>& kernels() {
  static const std::vector<KernelInfo> all = {
      {"v6.1", "Linux v6.1, before the November 2022 delalloc punch series", {}},
      {"v6.1+198dd8ae", "v6.1 with the seed fix alone (punch under invalidate_lock)", {"invalidate_lock_punch"}},
      {"v6.2",
       "v6.2-rc1: the whole series (118e021b, 198dd8ae, b71f889c, 9c7babf9, f43dc4dc, 7348b322, d7b64041, "
       "304a68b9, 6e8af15c)",
       {"invalidate_lock_punch", "mkwrite_no_iomap_end", "punch_keeps_dirty_cache", "iomap_valid"}},
      {"v6.2+8ac5b996", "v6.2 with the xfs_discard_folio off-by-one fixed, as in v6.3-rc1",
       {"invalidate_lock_punch", "mkwrite_no_iomap_end", "punch_keeps_dirty_cache", "iomap_valid", "discard_folio_end"}},
  };
  return all;
}

const std::vector<Named>& ops() {
  static const std::vector<Named> all = {
      {"write",
       "write(2): xfs_file_buffered_write -> iomap_file_buffered_write (page, pages, copy; or offset, length, "
       "copy in bytes)"},
      {"mmap_write", "a store through a shared writable mapping: read fault, page_mkwrite, the store (page)"},
      {"mmap_read", "a load through a mapping: filemap_fault if not mapped (page)"},
      {"read", "read(2): xfs_file_buffered_read through the page cache (page, pages)"},
      {"writeback",
       "one ->writepages pass: xfs_vm_writepages over a range or the whole file (page, pages, sync, fail)"},
      {"fsync", "write back and wait for all dirty data of the file"},
      {"truncate", "ftruncate(2): xfs_vn_setattr -> xfs_setattr_size (size)"},
      {"punch_hole", "fallocate(FALLOC_FL_PUNCH_HOLE): xfs_file_fallocate -> xfs_free_file_space (page, pages)"},
      {"reclaim", "memory reclaim evicting a clean, unlocked folio (page)"},
  };
  return all;
}

const std::vector<Named>& invariants() {
  static const std::vector<Named> all = {
      {"dirty_backed", "every dirty folio lies over a delalloc, unwritten or written extent (every step)"},
      {"reservations",
       "reserved blocks equal delalloc blocks, and with file.free_blocks free + reserved + allocated stays "
       "constant (every step); at quiescence no delalloc block inside EOF lacks a dirty folio"},
      {"no_lost_data",
       "at quiescence, after a final sync and eviction, every sector below EOF reads as its last completed "
       "write or store (truncate and punch_hole excepted; zeros where growth brought it back inside EOF)"},
      {"no_warning", "no WARN_ON of the modelled kernel code fires (every step)"},
      {"no_deadlock", "some thread can always move until all have finished"},
      {"step_limit", "every execution ends within the step limit"},
  };
  return all;
}

std::map<std::string, bool> effective_fixes(const Scenario& scenario) {
  std::map<std::string, bool> out;
  for (const Named& f : fixes()) out[f.name] = false;
  for (const KernelInfo& k : kernels())
    if (k.name == scenario.kernel)
      for (const std::string& f : k.fixes) out[f] = true;
  for (const auto& [name, on] : scenario.fixes) out[name] = on;
  return out;
}

}  // namespace fsmc::model
