// fs/iomap/buffered-io.c: the buffered write loop, page_mkwrite, read_folio,
// the [6.2] delalloc punch scan, and writeback of one folio.
#include <algorithm>
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

namespace {

std::string page_name(uint32_t p) { return "page " + std::to_string(p); }

// I3-I3a: get the folio locked (creating it), then check the mapping.
bool iomap_write_begin(Ctx& c, uint32_t page, const Iomap& iomap) {
  Locals l(c, page, key(iomap));
  filemap_lock_or_create_folio(c, page, "iomap_write_begin", "I3");
  if (c.k.has(Fix::iomap_valid) && !xfs_iomap_valid(c, iomap)) {
    c.ip.folio_lock[page].unlock(c.t, "iomap_write_begin", "I3a");
    return false;
  }
  // I4: a whole-page write needs no read or zeroing of the folio.
  return true;
}

// I5-I6: copy the user data in, mark the folio uptodate and dirty, extend
// i_size, unlock. The copy and the commit are one step: the copy cannot be
// short here (the short copy is the fault at I2).
void iomap_write_end(Ctx& c, uint32_t page, Data data) {
  Inode& ip = c.ip;
  Locals l(c, page, data);
  access(c.t, step("iomap_write_end", "I6").writes(ip.page_obj[page]).writes(ip.size_obj));
  Folio& f = ip.cache[page];
  f.data = data;
  f.uptodate = true;
  f.dirty = true;
  bool extended = page + 1 > ip.i_size;
  if (extended) ip.i_size = page + 1;
  ip.promised[page] = {data, c.here("iomap_write_end"), "write"};
  c.t.detail([&] { return page_name(page) + ": copied, dirty" + (extended ? ", i_size -> " + std::to_string(ip.i_size) : ""); });
  ip.folio_lock[page].unlock(c.t, "iomap_write_end", "I6");
}

struct IterResult {
  uint32_t written = 0;
  bool fault = false;  // the user buffer could not be faulted in (-EFAULT)
};

// I1-I9 over one mapping: [pos, pos + len), the user buffer failing at page `fault_at`.
IterResult iomap_write_iter(Ctx& c, Iomap& iomap, uint32_t pos, uint32_t len, uint32_t fault_at, Data data) {
  Locals l(c, pos, len, fault_at, data);
  for (uint32_t p = pos; p < pos + len; ++p) {
    l(pos, len, fault_at, data, p, key(iomap));
    if (p >= fault_at) return {p - pos, true};  // I2: fault_in_iov_iter_readable found nothing
    if (!iomap_write_begin(c, p, iomap)) {       // I3a
      iomap.stale = true;
      return {p - pos, false};
    }
    iomap_write_end(c, p, data);
  }
  return {len, false};
}

// R5 helper: lock the folio at `page` if one is cached; false when none is.
bool filemap_lock_folio(Ctx& c, uint32_t page, const char* point) {
  Inode& ip = c.ip;
  ip.folio_lock[page].lock(c.t, step("iomap_write_delalloc_scan", point).reads(ip.page_obj[page]));
  if (ip.cache[page].present) return true;
  // Nothing cached: the lookup found no folio to lock, so nothing was held.
  c.t.executor().release(c.t.id(), ip.folio_lock[page].id);
  return false;
}

// R3/R4: mapping_seek_hole_data over the page cache: the first page in
// [from, to) that holds uptodate data (want_data) or does not (a hole).
uint32_t mapping_seek_hole_data(Ctx& c, uint32_t from, uint32_t to, bool want_data, const char* point) {
  Inode& ip = c.ip;
  Op op = step(want_data ? "mapping_seek_hole_data(SEEK_DATA)" : "mapping_seek_hole_data(SEEK_HOLE)", point);
  for (uint32_t p = from; p < to; ++p) op.reads(ip.page_obj[p]);
  access(c.t, op.reads(ip.size_obj));
  uint32_t p = from;
  while (p < to && (ip.cache[p].present && ip.cache[p].uptodate) != want_data) ++p;
  c.t.detail([&] { return (want_data ? "data at " : "hole at ") + std::to_string(p); });
  return p;
}

}  // namespace

// T1-T2: the iomap iterator around ->iomap_begin, the copy loop, ->iomap_end.
void iomap_file_buffered_write(Ctx& c, uint32_t pos, uint32_t count, uint32_t copy, Data data) {
  uint32_t fault_at = pos + copy;
  uint32_t len = count;
  Locals l(c, fault_at, data);
  while (len > 0) {
    l(fault_at, data, 1, pos, len);
    Iomap iomap = xfs_buffered_write_iomap_begin(c, pos, len, "iomap_file_buffered_write");
    if (iomap.enospc) return;
    uint32_t maplen = std::min(len, iomap.offset + iomap.length - pos);
    l(fault_at, data, 2, pos, len);  // the mapping is iomap_write_iter's
    IterResult r = iomap_write_iter(c, iomap, pos, maplen, fault_at, data);
    l(fault_at, data, 3, pos, len, r.written, r.fault);  // the mapping is iomap_end's
    xfs_buffered_write_iomap_end(c, pos, maplen, r.written, iomap);  // T1
    if (r.written == 0) {                                              // T2
      if (iomap.stale && !r.fault) continue;  // [6.2] remap from the same position
      return;
    }
    pos += r.written;
    len -= r.written;
  }
}

// M5-M9 on folio `gen` of the slot, with the folio locked from M5 and still
// locked on return.
Fault iomap_page_mkwrite(Ctx& c, uint32_t page, uint32_t gen) {
  Inode& ip = c.ip;
  Mutex lock = ip.folio_lock[page];
  Locals l(c, page, gen);
  lock.lock(c.t, step("iomap_page_mkwrite", "M5").reads(ip.page_obj[page]).reads(ip.size_obj));
  const Folio& f = ip.cache[page];
  if (!f.present || f.gen != gen || page >= ip.i_size) {  // folio_mkwrite_check_truncate
    c.t.detail([] { return std::string("folio truncated: retry the fault"); });
    lock.unlock(c.t, "iomap_page_mkwrite", "M5");
    return Fault::retry;
  }
  Iomap iomap = xfs_buffered_write_iomap_begin(c, page, 1, "iomap_page_mkwrite");  // M6
  l(page, gen, key(iomap));
  if (iomap.enospc) {
    lock.unlock(c.t, "iomap_page_mkwrite", "M6");
    return Fault::sigbus;
  }
  access(c.t, step("iomap_page_mkwrite", "M7").writes(ip.page_obj[page]));  // folio_mark_dirty
  ip.cache[page].dirty = true;
  c.t.detail([&] { return page_name(page) + ": dirty (" + to_string(ip.i_df[page]) + " beneath)"; });
  if (!c.k.has(Fix::mkwrite_no_iomap_end))  // M8: 118e021b gave faults ops without ->iomap_end
    xfs_buffered_write_iomap_end(c, page, 1, 1, iomap);
  return Fault::locked;  // M9: folio_wait_stable is a no-op without stable-page devices
}

// RF5: ->read_folio; xfs_read_iomap_begin looks the block up under
// ILOCK_SHARED; holes, delalloc and unwritten blocks read as zeros.
void iomap_read_folio(Ctx& c, uint32_t page, const char* point) {
  Inode& ip = c.ip;
  access(c.t, step("iomap_read_folio", point).reads(ip.extent_obj[page]).writes(ip.page_obj[page]));
  Folio& f = ip.cache[page];
  bool mapped = ip.i_df[page] == ExtentState::written;
  f.data = mapped ? ip.disk[page] : zeros;
  f.uptodate = true;
  c.t.detail([&] { return page_name(page) + ": " + (mapped ? "read from disk" : "zero-filled") + ", uptodate"; });
}

// R0-R8 (f43dc4dc): punch the delalloc a short write reserved but did not
// write, except under folios that are dirty — an mmap writer may have
// dirtied them — and never drop page cache.
void iomap_file_buffered_write_punch_delalloc(Ctx& c, uint32_t pos, uint32_t length, uint32_t written,
                                              const Iomap& iomap) {
  Inode& ip = c.ip;
  if (iomap.type != ExtentState::delalloc || !iomap.f_new) return;  // R0
  uint32_t start = pos + written;
  uint32_t end = pos + length;
  if (start >= end) return;
  // R2 reads i_size, stable under IOLOCK_EXCL, in the same step.
  Locals l(c, start, end);
  ip.invalidate_lock.down_write(c.t, step("iomap_file_buffered_write_punch_delalloc", "R1").reads(ip.size_obj));
  // iomap_write_delalloc_release
  uint32_t punch_start = start;
  uint32_t scan_end = std::min(ip.i_size, end);  // R2
  while (start < scan_end) {
    l(start, end, punch_start, scan_end);
    uint32_t d = mapping_seek_hole_data(c, start, scan_end, true, "R3");
    if (d >= scan_end) break;
    // R4: a folio evicted between the two seeks makes e == d; v6.2 only
    // warns (S7) and seeks again from there.
    l(start, end, punch_start, scan_end, d);
    uint32_t e = mapping_seek_hole_data(c, d, scan_end, false, "R4");
    for (uint32_t p = d; p < e; ++p) {  // R5: iomap_write_delalloc_scan
      l(start, end, punch_start, scan_end, d, e, p);
      if (!filemap_lock_folio(c, p, "R5")) continue;
      if (ip.cache[p].dirty) {
        if (p > punch_start) xfs_bmap_punch_delalloc_range(c, punch_start, p, "R5");
        punch_start = p + 1;
        l(start, end, punch_start, scan_end, d, e, p);
      }
      ip.folio_lock[p].unlock(c.t, "iomap_write_delalloc_scan", "R5");
    }
    start = e;  // R6
  }
  l(start, end, punch_start);
  if (punch_start < end) xfs_bmap_punch_delalloc_range(c, punch_start, end, "R7");
  ip.invalidate_lock.up_write(c.t, "iomap_file_buffered_write_punch_delalloc", "R8");
}

// WB1-WB7 for each dirty folio in [start, end): write_cache_pages locking
// each folio, iomap_do_writepage mapping and submitting it. The I/O of the
// pass completes (IC1) after the pass has submitted everything.
void iomap_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync) {
  Inode& ip = c.ip;
  // Plain arrays: nothing with a destructor may live across a step.
  uint32_t ioend_page[64];
  Data ioend_data[64];
  uint32_t ioends = 0;
  uint64_t ioend_key = 0;  // the ioends so far, for Locals
  Locals l(c, start, end, sync);
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    l(start, end, sync, p, ioend_key);
    Mutex lock = ip.folio_lock[p];
    Folio& f = ip.cache[p];
    access(c.t, step("write_cache_pages", "WB1").reads(ip.page_obj[p]));  // the dirty tag lookup
    if (!f.present || !f.dirty) continue;
    lock.lock(c.t, step("write_cache_pages", "WB1").reads(ip.page_obj[p]));
    if (!f.present || !f.dirty || (f.writeback && !sync)) {
      lock.unlock(c.t, "write_cache_pages", "WB1");
      continue;
    }
    if (f.writeback) wait_until(c.t, ip.page_obj[p], [&f] { return !f.writeback; }, "folio_wait_writeback", "WB1");

    access(c.t, step("folio_clear_dirty_for_io", "WB2").writes(ip.page_obj[p]));
    f.dirty = false;
    f.writable = false;  // folio_mkclean write-protects every PTE
    c.t.detail([&] { return page_name(p) + ": clean, PTEs write-protected"; });

    bool beyond_eof = false;
    ExtentState type = xfs_map_blocks(c, p, &beyond_eof);  // WB3-WB4
    l(start, end, sync, p, ioend_key, type, beyond_eof);
    if (beyond_eof) {
      lock.unlock(c.t, "iomap_do_writepage", "WB3");
      continue;
    }
    if (type == ExtentState::hole) {  // WB7: nothing queued, the data is dropped
      lock.unlock(c.t, "iomap_writepage_map", "WB7");
      continue;
    }
    Data data = f.data;
    l(start, end, sync, p, ioend_key, type, data);
    lock.unlock(c.t, step("folio_start_writeback", "WB6").writes(ip.page_obj[p]));
    f.writeback = true;
    c.t.detail([&] { return page_name(p) + ": under writeback to its " + to_string(type) + " block"; });
    ioend_page[ioends] = p;
    ioend_data[ioends++] = data;
    ioend_key = mix(ioend_key, uint64_t{p} << 32 | data);
  }
  for (uint32_t i = 0; i < ioends; ++i) {
    l(start, end, sync, ioend_key, i);
    xfs_end_ioend(c, ioend_page[i], ioend_data[i]);  // IC1
  }
}

}  // namespace fsmc::model
