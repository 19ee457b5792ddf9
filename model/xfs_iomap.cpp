// fs/xfs/xfs_iomap.c: the XFS ->iomap_begin / ->iomap_end of buffered writes
// and page faults, and the iomap validity check.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// B2-B12, one ILOCK_EXCL section. An existing extent is returned as it is
// (B6); a hole gets a fresh delalloc reservation, returned with IOMAP_F_NEW
// and covering only what this call reserved (B10, B12) — except for
// IOMAP_ZERO, which reports the hole as a hole (B4). Pages, not bytes.
Iomap xfs_buffered_write_iomap_begin(Ctx& c, uint32_t pos, uint32_t len, const char* caller, bool zero) {
  Inode& ip = c.ip;
  Op op = step("xfs_buffered_write_iomap_begin", zero ? "B4" : "B2");
  if (zero) {  // a lookup only
    for (uint32_t p = pos; p < pos + len && p < ip.pages(); ++p) op.reads(ip.extent_obj[p]);
  } else {
    for (uint32_t p = pos; p < pos + len && p < ip.pages(); ++p) op.writes(ip.extent_obj[p]);
    // with limited free space the reservation reads the counter first
    if (ip.m_fdblocks) op.writes(ip.delayed_obj);
    else op.updates(ip.delayed_obj);
    op.updates(ip.seq_obj);
  }
  if (c.k.has(Fix::iomap_valid)) op.reads(ip.seq_obj);  // 304a68b9: the cookie
  access(c.t, op);

  Iomap map;
  map.offset = pos;
  ExtentState type = ip.i_df[pos];
  if (type != ExtentState::hole || zero) {  // B6, B4
    // The extent may go on past the write; only the part up to pos + len
    // matters to the caller.
    uint32_t end = pos;
    while (end < pos + len && end < ip.pages() && ip.i_df[end] == type) ++end;
    map.length = end - pos;
    map.type = type;
    if (c.k.has(Fix::iomap_valid)) map.seq = ip.if_seq;  // B6 cookie (304a68b9)
    c.t.detail([&] {
      return std::string(caller) + ": page " + std::to_string(pos) + (zero ? " is " : " already ") + to_string(type) +
             ", map " + std::to_string(map.length) + " page(s), no reservation";
    });
    return map;
  }
  bool enospc = false;
  map.length = xfs_bmapi_reserve_delalloc(c, pos, len, &enospc);  // B10
  if (enospc) {
    map.enospc = true;
    c.t.detail([&] { return std::string(caller) + ": no space to reserve page " + std::to_string(pos); });
    return map;
  }
  map.type = ExtentState::delalloc;
  map.f_new = true;  // B12
  if (c.k.has(Fix::iomap_valid)) map.seq = ip.if_seq;  // B12 cookie (304a68b9)
  c.t.detail([&] {
    return std::string(caller) + ": hole -> delalloc for pages " + std::to_string(pos) + ".." +
           std::to_string(pos + map.length - 1) + ", IOMAP_F_NEW, reserved " + std::to_string(ip.i_delayed_blks);
  });
  return map;
}

// I3a (d7b64041 + 304a68b9): with the folio locked, compare the cookie taken
// under ILOCK in iomap_begin with the data fork's current sequence.
bool xfs_iomap_valid(Ctx& c, const Iomap& iomap) {
  access(c.t, step("xfs_iomap_valid", "I3a").reads(c.ip.seq_obj));
  bool valid = iomap.seq == c.ip.if_seq;
  c.t.detail([&] { return valid ? std::string("mapping still valid") : std::string("stale mapping: remap"); });
  return valid;
}

// E1-E7: clean up what a short write reserved but did not write. `pos` is
// where this mapping's processing started, `length` how much of the write
// the mapping covered, `written` how much of that was copied, in bytes.
void xfs_buffered_write_iomap_end(Ctx& c, uint64_t pos, uint64_t length, uint64_t written, const Iomap& iomap) {
  if (iomap.type != ExtentState::delalloc) return;  // E1
  if (c.k.has(Fix::punch_keeps_dirty_cache)) {
    // 9c7babf9 moved the cleanup into iomap; f43dc4dc rewrote it there. It keeps its own locals.
    iomap_file_buffered_write_punch_delalloc(c, pos, length, written, iomap);
    return;
  }
  Locals l(c, pos, length, written, key(iomap));
  if (c.k.has(Fix::invalidate_lock_punch) && !iomap.f_new) return;  // E3a
  uint32_t start = written ? pages_to(pos + written) : page_of(pos);  // E3, in blocks
  uint32_t end = pages_to(pos + length);
  if (c.k.has(Fix::invalidate_lock_punch) && start >= end) return;   // E3b
  if (!iomap.f_new || start >= end) return;                            // E4
  if (c.k.has(Fix::invalidate_lock_punch))
    c.ip.invalidate_lock.down_write(c.t, "xfs_buffered_write_iomap_end", "E4'");
  truncate_pagecache_range(c, start, end, "E5");
  xfs_bmap_punch_delalloc_range(c, start, end, "E6");
  if (c.k.has(Fix::invalidate_lock_punch))
    c.ip.invalidate_lock.up_write(c.t, "xfs_buffered_write_iomap_end", "E7");
}

// xfs_zero_range: iomap_zero_range with the buffered write ops (the EOF gap
// of an extending write, truncate up).
void xfs_zero_range(Ctx& c, uint64_t pos, uint64_t end) { iomap_zero_range(c, pos, end); }

}  // namespace fsmc::model
