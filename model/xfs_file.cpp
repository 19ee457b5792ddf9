// fs/xfs/xfs_file.c: the file operations the scenario ops enter through.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// W1-W5: IOLOCK_EXCL across the whole buffered write of the bytes
// [pos, pos + count); the user buffer faults from byte pos + copy on.
void xfs_file_buffered_write(Ctx& c, uint64_t pos, uint64_t count, uint64_t copy, Data data) {
  Inode& ip = c.ip;
  Locals l(c, pos, count, copy, data_local(data));
  // W2 reads i_size, which only IOLOCK_EXCL holders change, in the same step.
  ip.i_rwsem.down_write(c.t, step("xfs_file_buffered_write", "W1").reads(ip.size_obj));
  // W2: xfs_file_write_checks zeroes the gap between EOF and the write.
  uint64_t isize = ip.i_size;
  l(pos, count, copy, data_local(data), isize);
  if (pos > isize) xfs_zero_range(c, isize, pos);
  iomap_file_buffered_write(c, pos, count, copy, data);  // W3
  ip.i_rwsem.up_write(c.t, "xfs_file_buffered_write", "W5");
}

void xfs_file_buffered_read(Ctx& c, uint32_t pos, uint32_t count) {
  Inode& ip = c.ip;
  Locals l(c, pos, count);
  ip.i_rwsem.down_read(c.t, "xfs_file_buffered_read", "RD0");
  filemap_read(c, pos, count);
  ip.i_rwsem.up_read(c.t, "xfs_file_buffered_read", "RD5");
}

// M3-M10: __xfs_filemap_fault for a write fault: only invalidate_lock
// shared (XFS_MMAPLOCK_SHARED) around iomap_page_mkwrite, no IOLOCK.
Fault xfs_filemap_page_mkwrite(Ctx& c, uint32_t page, uint32_t gen) {
  Inode& ip = c.ip;
  Locals l(c, page, gen);
  ip.invalidate_lock.down_read(c.t, "xfs_filemap_page_mkwrite", "M4");
  Fault f = iomap_page_mkwrite(c, page, gen);
  l(page, gen, f);
  ip.invalidate_lock.up_read(c.t, "xfs_filemap_page_mkwrite", "M10");
  return f;
}

// PH1-PH4: fallocate(FALLOC_FL_PUNCH_HOLE) with IOLOCK_EXCL and MMAPLOCK_EXCL.
void xfs_file_fallocate_punch_hole(Ctx& c, uint32_t start, uint32_t len) {
  Inode& ip = c.ip;
  uint32_t end = start + len;
  Locals l(c, start, len);
  ip.i_rwsem.down_write(c.t, "xfs_file_fallocate", "PH1");
  ip.invalidate_lock.down_write(c.t, "xfs_file_fallocate", "PH1");
  // PH2: xfs_flush_unmap_range writes the range back, then drops its cache.
  filemap_write_and_wait_range(c, start, end);
  truncate_pagecache_range(c, start, end, "PH2");
  // PH3: xfs_free_file_space: the blocks become a hole; their data is legitimately gone.
  Op op = step("xfs_free_file_space", "PH3");
  for (uint32_t p = start; p < end; ++p) op.writes(ip.extent_obj[p]).writes(ip.page_obj[p]);  // blocks and promises
  access(c.t, op.updates(ip.delayed_obj).updates(ip.seq_obj));
  xfs_bunmapi(c, start, end, "xfs_free_file_space");
  for (uint32_t p = start; p < end; ++p) ip.promised[p] = {Sectors{}, c.here("xfs_free_file_space"), "punch_hole"};
  c.t.detail([&] { return "pages " + std::to_string(start) + ".." + std::to_string(end - 1) + " -> hole"; });
  ip.i_rwsem.up_write(c.t, "xfs_file_fallocate", "PH4");  // xfs_iunlock drops IOLOCK first
  ip.invalidate_lock.up_write(c.t, "xfs_file_fallocate", "PH4");
}

// file_write_and_wait_range over the whole file (the log force is not modelled).
void xfs_file_fsync(Ctx& c) { filemap_write_and_wait_range(c, 0, c.ip.pages()); }

}  // namespace fsmc::model
