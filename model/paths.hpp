// The kernel functions the model implements, grouped by the kernel file each
// model file mirrors. Every step inside them is one visible operation named
// after the function and its kernel step id (docs/kernel-steps.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "model/inode.hpp"

namespace fsmc::model {

// Byte positions and page indexes.
inline uint32_t page_of(uint64_t pos) { return static_cast<uint32_t>(pos / page_size); }
inline uint32_t pages_to(uint64_t end) { return static_cast<uint32_t>((end + page_size - 1) / page_size); }  // round_up
inline uint32_t sector_in_page(uint64_t pos) { return static_cast<uint32_t>(pos % page_size / sector_size); }

// A mapping returned by ->iomap_begin (struct iomap), in pages.
struct Iomap {
  uint32_t offset = 0;
  uint32_t length = 0;
  ExtentState type = ExtentState::hole;
  bool f_new = false;    // IOMAP_F_NEW: this call reserved the blocks
  bool stale = false;    // IOMAP_F_STALE: the write path found the map outdated
  uint64_t seq = 0;      // validity cookie (data fork if_seq when mapped)
  bool enospc = false;   // the reservation failed
};

// An Iomap as one word of a function's Locals.
inline uint64_t key(const Iomap& m) {
  uint64_t h = mix(uint64_t{m.offset} << 32 | m.length, m.seq);
  return mix(h, static_cast<uint64_t>(m.type) | uint64_t{m.f_new} << 8 | uint64_t{m.stale} << 9 |
                             uint64_t{m.enospc} << 10);
}

enum class Fault { locked, retry, sigbus };

// What xfs_map_blocks found for a folio under writeback (WB3-WB4).
struct WritebackMap {
  ExtentState type = ExtentState::hole;
  bool beyond_eof = false;  // the folio lies wholly beyond i_size: not written
  bool error = false;       // mapping failed: the caller runs xfs_discard_folio
  uint64_t eof = 0;         // i_size as iomap_do_writepage saw it
};

// fs/xfs/xfs_file.c
void xfs_file_buffered_write(Ctx& c, uint64_t pos, uint64_t count, uint64_t copy, Data data);
void xfs_file_buffered_read(Ctx& c, uint32_t pos, uint32_t count);
Fault xfs_filemap_page_mkwrite(Ctx& c, uint32_t page, uint32_t gen);
void xfs_file_fallocate_punch_hole(Ctx& c, uint32_t start, uint32_t len);
void xfs_file_fsync(Ctx& c);

// fs/xfs/xfs_iops.c
void xfs_vn_setattr_size(Ctx& c, uint64_t newsize);

// fs/xfs/xfs_iomap.c
// `zero`: IOMAP_ZERO, which maps holes as holes instead of reserving them (B4).
Iomap xfs_buffered_write_iomap_begin(Ctx& c, uint32_t pos, uint32_t len, const char* caller, bool zero = false);
// pos, length and written in bytes, as the iterator passes them.
void xfs_buffered_write_iomap_end(Ctx& c, uint64_t pos, uint64_t length, uint64_t written, const Iomap& iomap);
bool xfs_iomap_valid(Ctx& c, const Iomap& iomap);
void xfs_zero_range(Ctx& c, uint64_t pos, uint64_t end);

// fs/xfs/libxfs/xfs_bmap.c, fs/xfs/xfs_bmap_util.c (run inside a step, under ILOCK)
uint32_t xfs_bmapi_reserve_delalloc(Ctx& c, uint32_t offset, uint32_t len, bool* enospc);
uint32_t xfs_bmap_del_delalloc(Ctx& c, uint32_t start, uint32_t end, const char* function);
void xfs_bmap_punch_delalloc_range(Ctx& c, uint32_t start, uint32_t end, const char* point);
bool xfs_bmapi_convert_delalloc(Ctx& c, uint32_t page);  // false: no extent there (WARN, -EAGAIN)
void xfs_bunmapi(Ctx& c, uint32_t start, uint32_t end, const char* function);

// fs/iomap/buffered-io.c
void iomap_file_buffered_write(Ctx& c, uint64_t pos, uint64_t count, uint64_t copy, Data data);
void iomap_zero_range(Ctx& c, uint64_t pos, uint64_t end);
Fault iomap_page_mkwrite(Ctx& c, uint32_t page, uint32_t gen);
void iomap_read_folio(Ctx& c, uint32_t page, const char* point);
void iomap_file_buffered_write_punch_delalloc(Ctx& c, uint64_t pos, uint64_t length, uint64_t written,
                                              const Iomap& iomap);
// `fail`: the page whose mapping fails once; `fail_any`: choose at each page whether it fails.
struct WritebackFailure {
  std::optional<uint32_t> page;
  bool any = false;
};
void iomap_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync, WritebackFailure fail = {});

// fs/xfs/xfs_aops.c
void xfs_vm_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync, WritebackFailure fail = {});
WritebackMap xfs_map_blocks(Ctx& c, uint32_t page, bool inject_error);
void xfs_discard_folio(Ctx& c, uint32_t page);
// Never returns: run as a background thread (build_program).
[[noreturn]] void xfs_end_io(Ctx& c, std::span<const uint32_t> pages);

// mm/filemap.c
Fault filemap_fault(Ctx& c, uint32_t page);
void filemap_lock_or_create_folio(Ctx& c, uint32_t page, const char* function, const char* point);
void filemap_read(Ctx& c, uint32_t pos, uint32_t count);
void filemap_fdatawait_range(Ctx& c, uint32_t start, uint32_t end);
void filemap_write_and_wait_range(Ctx& c, uint32_t start, uint32_t end);

// mm/memory.c: what a user process's loads and stores through a mapping do
void mmap_store(Ctx& c, uint32_t page, Data data);

// A WARN_ON of the modelled kernel code fired (no_warning); the step that
// can fire one declares ip.warn_obj.
void warn_on(Ctx& c, const std::string& what);
void mmap_load(Ctx& c, uint32_t page);

// mm/truncate.c
void truncate_pagecache_range(Ctx& c, uint32_t start, uint32_t end, const char* point);
void truncate_setsize(Ctx& c, uint64_t newsize);

// mm/vmscan.c
void reclaim_folio(Ctx& c, uint32_t page);

}  // namespace fsmc::model
