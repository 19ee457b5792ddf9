// fs/iomap/buffered-io.c: the buffered write loop, page_mkwrite, read_folio,
// the [6.2] delalloc punch scan, and writeback of one folio.
#include <algorithm>
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

namespace {

std::string page_name(uint32_t p) { return "page " + std::to_string(p); }

// I4: __iomap_write_begin. A folio that is not uptodate and that the write
// does not cover wholly gets its other sectors from the block — read from a
// written extent, zeroed for a hole, delalloc, unwritten or IOMAP_F_NEW
// mapping or a block at or beyond EOF — decided from the mapping the writer
// holds, which may be stale (S4). A whole-page write needs neither.
void __iomap_write_begin(Ctx& c, const Iomap& iomap, uint64_t pos, uint64_t len) {
  Inode& ip = c.ip;
  uint32_t page = page_of(pos);
  uint32_t from = sector_in_page(pos), to = from + static_cast<uint32_t>(len / sector_size);
  if (ip.cache[page].uptodate || (from == 0 && to == sectors_per_page)) return;
  access(c.t, step("__iomap_write_begin", "I4")
                  .reads(ip.size_obj)
                  .reads(ip.extent_obj[page])
                  .writes(ip.page_obj[page]));
  Folio& f = ip.cache[page];
  // iomap_block_needs_zeroing
  bool zero = iomap.type != ExtentState::written || iomap.f_new || page * page_size >= ip.i_size;
  if (zero) {
    for (uint32_t s = 0; s < sectors_per_page; ++s)
      if (s < from || s >= to) f.data[s] = zeros;
  } else {
    f.data = ip.disk[page];  // iomap_read_folio_sync from the block the mapping names
  }
  f.uptodate = true;
  c.t.detail([&] {
    return page_name(page) + ": sectors outside " + std::to_string(from) + ".." + std::to_string(to - 1) +
           (zero ? " zeroed (mapping: " + std::string(to_string(iomap.type)) + (iomap.f_new ? ", new" : "") + ")"
                 : " read from the written block") + ", uptodate";
  });
}

// I3-I4: get the folio locked (creating it), check the mapping, prepare the
// folio for a write of [pos, pos + len) inside one page.
bool iomap_write_begin(Ctx& c, const Iomap& iomap, uint64_t pos, uint64_t len) {
  uint32_t page = page_of(pos);
  Locals l(c, pos, len, key(iomap));
  filemap_lock_or_create_folio(c, page, "iomap_write_begin", "I3");
  if (c.k.has(Fix::iomap_valid) && !xfs_iomap_valid(c, iomap)) {
    c.ip.folio_lock[page].unlock(c.t, "iomap_write_begin", "I3a");
    return false;
  }
  __iomap_write_begin(c, iomap, pos, len);
  return true;
}

// I6: commit `copied` of the `len` bytes at `pos` (the copy of I5 is part of
// this step): a short copy into a folio that is not uptodate commits
// nothing; otherwise the folio becomes uptodate and dirty, i_size grows to
// the end of what was committed, and the folio is unlocked. Returns the
// bytes committed. Zeroing (`what` "zeroing") commits zeros the same way.
uint64_t iomap_write_end(Ctx& c, uint64_t pos, uint64_t len, uint64_t copied, Data data, const char* what) {
  Inode& ip = c.ip;
  uint32_t page = page_of(pos);
  Locals l(c, pos, len, copied, data_local(data));
  access(c.t, step("iomap_write_end", "I6").writes(ip.page_obj[page]).writes(ip.size_obj));
  Folio& f = ip.cache[page];
  if (copied < len && !f.uptodate) {
    c.t.detail([&] { return page_name(page) + ": short copy into a folio not uptodate, nothing committed"; });
    ip.folio_lock[page].unlock(c.t, "iomap_write_end", "I6");
    return 0;
  }
  uint32_t from = sector_in_page(pos), to = from + static_cast<uint32_t>(copied / sector_size);
  for (uint32_t s = from; s < to; ++s) f.data[s] = ip.promised[page].data[s] = data;
  ip.promised[page].by = c.here("iomap_write_end");
  ip.promised[page].what = what;
  ip.promised[page].tag = data;
  ip.promised[page].any = false;
  f.uptodate = true;
  f.dirty = true;
  bool extended = pos + copied > ip.i_size;
  if (extended) ip.i_size = pos + copied;
  c.t.detail([&] {
    std::string range = from == 0 && to == sectors_per_page
                            ? std::string()
                            : " sectors " + std::to_string(from) + ".." + std::to_string(to - 1);
    return page_name(page) + range + (data == zeros ? ": zeroed" : ": copied") + ", dirty" +
           (extended ? ", i_size -> " + std::to_string(ip.i_size) : "");
  });
  ip.folio_lock[page].unlock(c.t, "iomap_write_end", "I6");
  return copied;
}

struct IterResult {
  uint64_t written = 0;
  bool fault = false;  // the user buffer could not be faulted in (-EFAULT)
};

// I1-I9 over one mapping: the bytes [pos, pos + len), the user buffer
// readable below `fault_at`, one page-sized chunk at a time.
IterResult iomap_write_iter(Ctx& c, Iomap& iomap, uint64_t pos, uint64_t len, uint64_t fault_at, Data data) {
  Locals l(c, pos, len, fault_at, data_local(data));
  uint64_t p = pos;
  while (p < pos + len) {
    uint64_t bytes = std::min(page_size - p % page_size, pos + len - p);  // I1
    for (;;) {
      l(pos, len, fault_at, data_local(data), p, bytes, key(iomap));
      if (p >= fault_at) return {p - pos, true};  // I2: fault_in_iov_iter_readable found nothing
      if (!iomap_write_begin(c, iomap, p, bytes)) {  // I3a
        iomap.stale = true;
        return {p - pos, false};
      }
      uint64_t copied = std::min(bytes, fault_at - p);  // I5
      uint64_t committed = iomap_write_end(c, p, bytes, copied, data, "write");
      if (committed > 0) {
        p += committed;
        break;
      }
      bytes = copied;  // I7: retry the part that was copied (copied > 0: I2 found it readable)
    }
  }
  return {len, false};
}

// iomap_zero_iter: zero [pos, pos + len) of a delalloc or written mapping
// through the page cache. Returns the bytes zeroed before the mapping went stale.
uint64_t iomap_zero_iter(Ctx& c, Iomap& iomap, uint64_t pos, uint64_t len) {
  Locals l(c, pos, len, key(iomap));
  for (uint64_t p = pos; p < pos + len;) {
    l(pos, len, key(iomap), p);
    uint64_t bytes = std::min(page_size - p % page_size, pos + len - p);
    if (!iomap_write_begin(c, iomap, p, bytes)) {
      iomap.stale = true;
      return p - pos;
    }
    p += iomap_write_end(c, p, bytes, bytes, zeros, "zeroing");
  }
  return len;
}

// R5 helper: lock the folio at `page` if one is cached; false when none is.
bool filemap_lock_folio(Ctx& c, uint32_t page, const char* point) {
  Inode& ip = c.ip;
  const Folio& f = ip.cache[page];
  return ip.folio_lock[page].lock_if(c.t, step("iomap_write_delalloc_scan", point).reads(ip.page_obj[page]),
                                     [&f] { return f.present; });
}

// R3/R4: mapping_seek_hole_data over the page cache: the first page in
// [from, to) that holds uptodate data (want_data) or does not (a hole).
uint32_t mapping_seek_hole_data(Ctx& c, uint32_t from, uint32_t to, bool want_data, const char* point) {
  Inode& ip = c.ip;
  Op op = step(want_data ? "mapping_seek_hole_data(SEEK_DATA)" : "mapping_seek_hole_data(SEEK_HOLE)", point);
  for (uint32_t p = from; p < to; ++p) op.reads(ip.page_obj[p]);
  if (!want_data) op.updates(ip.warn_obj);  // R4 may WARN (S7)
  access(c.t, op.reads(ip.size_obj));
  uint32_t p = from;
  while (p < to && (ip.cache[p].present && ip.cache[p].uptodate) != want_data) ++p;
  c.t.detail([&] { return (want_data ? "data at " : "hole at ") + std::to_string(p); });
  return p;
}

}  // namespace

// T1-T2: the iomap iterator around ->iomap_begin, the copy loop, ->iomap_end.
// Bytes: the write [pos, pos + count), the user buffer readable for `copy` bytes.
void iomap_file_buffered_write(Ctx& c, uint64_t pos, uint64_t count, uint64_t copy, Data data) {
  uint64_t fault_at = pos + copy;
  uint64_t len = count;
  Locals l(c, fault_at, data_local(data));
  while (len > 0) {
    l(fault_at, data_local(data), 1, pos, len);
    uint32_t first = page_of(pos);
    Iomap iomap = xfs_buffered_write_iomap_begin(c, first, pages_to(pos + len) - first, "iomap_file_buffered_write");
    if (iomap.enospc) return;
    uint64_t maplen = std::min(len, (iomap.offset + iomap.length) * page_size - pos);
    l(fault_at, data_local(data), 2, pos, len);  // the mapping is iomap_write_iter's
    IterResult r = iomap_write_iter(c, iomap, pos, maplen, fault_at, data);
    l(fault_at, data_local(data), 3, pos, len, r.written, r.fault);  // the mapping is iomap_end's
    xfs_buffered_write_iomap_end(c, pos, maplen, r.written, iomap);  // T1
    if (r.written == 0) {                                              // T2
      if (iomap.stale && !r.fault) continue;  // [6.2] remap from the same position
      return;
    }
    pos += r.written;
    len -= r.written;
  }
}

// iomap_zero_range: holes and unwritten extents already read as zeros and
// are skipped; delalloc and written blocks are zeroed through the page
// cache. IOMAP_ZERO never reserves, so ->iomap_end never punches here.
void iomap_zero_range(Ctx& c, uint64_t pos, uint64_t end) {
  Locals l(c, pos, end);
  while (pos < end) {
    l(pos, end, 1);
    uint32_t first = page_of(pos);
    Iomap iomap = xfs_buffered_write_iomap_begin(c, first, pages_to(end) - first, "iomap_zero_range", true);
    uint64_t len = std::min(end - pos, (iomap.offset + iomap.length) * page_size - pos);
    uint64_t done = len;
    if (iomap.type == ExtentState::delalloc || iomap.type == ExtentState::written) {
      l(pos, end, 2, len, key(iomap));
      done = iomap_zero_iter(c, iomap, pos, len);
    }
    l(pos, end, 3, len, done, key(iomap));
    xfs_buffered_write_iomap_end(c, pos, len, done, iomap);
    if (done == 0 && !iomap.stale) return;
    pos += done;  // a stale mapping is looked up again from here
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
  if (!f.present || f.gen != gen || page * page_size >= ip.i_size) {  // folio_mkwrite_check_truncate
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
  f.data = mapped ? ip.disk[page] : Sectors{};
  f.uptodate = true;
  c.t.detail([&] { return page_name(page) + ": " + (mapped ? "read from disk" : "zero-filled") + ", uptodate"; });
}

// R0-R8 (f43dc4dc): punch the delalloc a short write reserved but did not
// write, except under folios that are dirty — an mmap writer may have
// dirtied them — and never drop page cache.
void iomap_file_buffered_write_punch_delalloc(Ctx& c, uint64_t pos, uint64_t length, uint64_t written,
                                              const Iomap& iomap) {
  Inode& ip = c.ip;
  if (iomap.type != ExtentState::delalloc || !iomap.f_new) return;  // R0
  uint32_t start = written ? pages_to(pos + written) : page_of(pos);
  uint32_t end = pages_to(pos + length);
  if (start >= end) return;
  // R2 reads i_size, stable under IOLOCK_EXCL, in the same step.
  Locals l(c, start, end);
  ip.invalidate_lock.down_write(c.t, step("iomap_file_buffered_write_punch_delalloc", "R1").reads(ip.size_obj));
  // iomap_write_delalloc_release
  uint32_t punch_start = start;
  uint32_t scan_end = std::min(ip.size_pages(), end);  // R2: min(i_size, end), in the pages it touches
  while (start < scan_end) {
    l(start, end, punch_start, scan_end);
    uint32_t d = mapping_seek_hole_data(c, start, scan_end, true, "R3");
    if (d >= scan_end) break;
    l(start, end, punch_start, scan_end, d);
    uint32_t e = mapping_seek_hole_data(c, d, scan_end, false, "R4");
    if (e == d) {
      // The folio SEEK_DATA found was evicted before SEEK_HOLE looked (S7):
      // v6.2 WARNs; 7a9d43eace88 takes it as no data there. Both seek on from d.
      if (!c.k.has(Fix::seek_hole_race))
        warn_on(c, "iomap_write_delalloc_release: SEEK_HOLE from " + page_name(d) + " made no progress");
      start = e;
      continue;
    }
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

namespace {

// The ioend the pass is filling: a run of pages [first, end) whose blocks
// are contiguous and of one type (iomap_can_add_to_ioend).
struct OpenIoend {
  uint32_t first = 0, end = 0;
  ExtentState type = ExtentState::hole;
  bool takes(uint32_t page, ExtentState t) const { return end > first && page == end && t == type; }
  uint64_t key() const { return first | uint64_t{end} << 8 | uint64_t(type) << 16; }
};

// WB8: iomap_submit_ioend: the blocks of [first, end) go to disk; from now
// on their completion (IC1, xfs_end_io) may run.
void iomap_submit_ioend(Ctx& c, OpenIoend& io) {
  Inode& ip = c.ip;
  if (io.end == io.first) return;
  access(c.t, step("iomap_submit_ioend", "WB8").writes(ip.page_obj[io.first], io.end - io.first));
  for (uint32_t p = io.first; p < io.end; ++p) ip.ioend[p].state = Io::in_flight;
  ip.ioend[io.first].end = io.end;
  c.t.detail([&] { return "I/O submitted for pages " + std::to_string(io.first) + ".." + std::to_string(io.end - 1); });
  io = OpenIoend{};
}

// WB1-WB2: write_cache_pages finds the folio dirty, locks it (in a sync
// pass waiting for its writeback to end) and clears its dirty bit for the
// I/O. False, with the folio unlocked, when there is nothing to write.
bool write_cache_page(Ctx& c, uint32_t p, bool sync) {
  Inode& ip = c.ip;
  Mutex lock = ip.folio_lock[p];
  Folio& f = ip.cache[p];
  Locals l(c, p, sync);
  access(c.t, step("write_cache_pages", "WB1").reads(ip.page_obj[p]));  // the dirty tag lookup
  if (!f.present || !f.dirty) return false;
  lock.lock(c.t, step("write_cache_pages", "WB1").reads(ip.page_obj[p]));
  if (!f.present || !f.dirty || (f.writeback && !sync)) {
    lock.unlock(c.t, "write_cache_pages", "WB1");
    return false;
  }
  if (f.writeback) wait_until(c.t, ip.page_obj[p], [&f] { return !f.writeback; }, "folio_wait_writeback", "WB1");
  access(c.t, step("folio_clear_dirty_for_io", "WB2").writes(ip.page_obj[p]));
  f.dirty = false;
  f.writable = false;  // folio_mkclean write-protects every PTE
  c.t.detail([&] { return page_name(p) + ": clean, PTEs write-protected"; });
  return true;
}

// WB3-WB7 for the locked folio p: map its block, then on a mapping error
// discard it (WB5), skip it over a hole (WB7), or start its writeback and
// add its block to the open ioend `io` (WB6), submitting the ioend before
// when the block cannot join it (WB8). `inject`: the mapping fails.
void iomap_writepage_map(Ctx& c, uint32_t p, bool inject, OpenIoend& io) {
  Inode& ip = c.ip;
  Mutex lock = ip.folio_lock[p];
  Folio& f = ip.cache[p];
  Locals l(c, p, inject);
  WritebackMap map = xfs_map_blocks(c, p, inject);  // WB3-WB4
  uint64_t map_key = static_cast<uint64_t>(map.type) | uint64_t{map.beyond_eof} << 8 | uint64_t{map.error} << 9;
  l(p, inject, map_key, map.eof);
  if (map.beyond_eof) {
    lock.unlock(c.t, "iomap_do_writepage", "WB3");
    return;
  }
  if (map.error) {  // WB5: nothing queued for this folio
    xfs_discard_folio(c, p);
    lock.unlock(c.t, step("iomap_writepage_map", "WB5").writes(ip.page_obj[p]));
    // In the step that declares the folio's page (the punch before it
    // declares only blocks): the error reaches fsync; the data may be gone.
    if (inject) ip.promised[p].any = true;
    c.t.detail([&] { return page_name(p) + ": mapping failed, folio left clean, data not written"; });
    return;
  }
  if (map.type == ExtentState::hole) {  // WB7: nothing queued, the data is dropped
    lock.unlock(c.t, "iomap_writepage_map", "WB7");
    return;
  }
  lock.unlock(c.t, step("folio_start_writeback", "WB6").writes(ip.page_obj[p]));
  // WB3: a folio straddling EOF has its part beyond i_size zeroed before the I/O.
  for (uint32_t s = 0; s < sectors_per_page; ++s)
    if (p * page_size + s * sector_size >= map.eof) f.data[s] = zeros;
  f.writeback = true;
  OpenIoend closed = io;
  if (!io.takes(p, map.type)) io = {p, p, map.type};
  ++io.end;
  ip.ioend[p] = {Io::queued, f.data};
  c.t.detail([&] { return page_name(p) + ": under writeback to its " + to_string(map.type) + " block"; });
  if (closed.first != io.first) {
    l(p, io.key(), closed.key());
    iomap_submit_ioend(c, closed);  // WB8: the block could not join it
  }
}

}  // namespace

// WB1-WB8 for each dirty folio in [start, end): write_cache_pages locking
// each folio, iomap_do_writepage mapping it and adding its block to the
// open ioend. An ioend is submitted (WB8) when the next block cannot join
// it, and at the end of the pass; its I/O completes later, asynchronously
// (xfs_end_io). A mapping error (injected by `fail`, or the conversion
// finding no extent) runs xfs_discard_folio and leaves the folio clean
// with nothing written (WB5).
void iomap_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync, WritebackFailure fail) {
  Inode& ip = c.ip;
  OpenIoend io;
  bool failed = false;  // the injected failure happens once
  Locals l(c, start, end, sync);
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    l(start, end, sync, p, io.key(), failed);
    if (!write_cache_page(c, p, sync)) continue;  // WB1-WB2
    bool inject = false;
    if (!failed && fail.any) inject = c.t.choose(2, "xfs_map_blocks", "WB4") == 1;
    else if (!failed && fail.page == p) inject = true;
    failed = failed || inject;
    l(start, end, sync, p, io.key(), failed);
    iomap_writepage_map(c, p, inject, io);  // WB3-WB8
  }
  l(start, end, sync, io.key());
  iomap_submit_ioend(c, io);  // WB8
}

}  // namespace fsmc::model
