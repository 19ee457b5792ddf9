// mm/filemap.c: the read fault, folio lookup/creation, buffered read.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// __filemap_get_folio(FGP_LOCK | FGP_CREAT): lock the folio in the slot,
// creating it (locked, not uptodate) when none is cached. A new folio's lock
// is free, so "create locked" and "lock" are the same step.
void filemap_lock_or_create_folio(Ctx& c, uint32_t page, const char* function, const char* point) {
  Inode& ip = c.ip;
  ip.folio_lock[page].lock(c.t, step(function, point).writes(ip.page_obj[page]));
  Folio& f = ip.cache[page];
  bool created = !f.present;
  if (created) f = Folio{.present = true, .gen = ++ip.slot_gen[page]};
  c.t.detail([&] { return "page " + std::to_string(page) + (created ? ": new folio, locked" : ": folio locked"); });
}

// RF1-RF6: returns with the folio locked and uptodate, or SIGBUS beyond EOF.
// XFS takes no lock of its own for read faults; filemap_fault takes
// invalidate_lock shared only to create or read a folio.
Fault filemap_fault(Ctx& c, uint32_t page) {
  Inode& ip = c.ip;
  Mutex lock = ip.folio_lock[page];
  Folio& f = ip.cache[page];
  Locals l(c, page);
  for (;;) {
    access(c.t, step("filemap_fault", "RF1").reads(ip.size_obj).reads(ip.page_obj[page]));
    if (page >= ip.size_pages()) {
      c.t.detail([&] { return "page " + std::to_string(page) + " is beyond EOF: SIGBUS"; });
      return Fault::sigbus;
    }
    bool cached = f.present && f.uptodate;
    l(page, cached);
    if (cached) {  // RF2 + RF4: lock the cached folio; retry if truncated meanwhile
      lock.lock(c.t, step("filemap_fault", "RF4").reads(ip.page_obj[page]).reads(ip.size_obj));
      if (!f.present) {
        lock.unlock(c.t, "filemap_fault", "RF4");
        continue;
      }
    } else {  // RF3: create or read under invalidate_lock shared
      ip.invalidate_lock.down_read(c.t, "filemap_fault", "RF3");
      filemap_lock_or_create_folio(c, page, "filemap_fault", "RF4");
      if (!f.uptodate) iomap_read_folio(c, page, "RF5");
      // RF6 rechecks i_size in the same step.
      ip.invalidate_lock.up_read(c.t, step("filemap_fault", "RF6").reads(ip.size_obj));
    }
    if (page >= ip.size_pages()) {  // RF6: i_size recheck
      lock.unlock(c.t, "filemap_fault", "RF6");
      return Fault::sigbus;
    }
    return Fault::locked;
  }
}

// filemap_read: copy each page below EOF out of the page cache, creating and
// reading missing folios under invalidate_lock shared (the caller holds IOLOCK shared).
void filemap_read(Ctx& c, uint32_t pos, uint32_t count) {
  Inode& ip = c.ip;
  Locals l(c, pos, count);
  for (uint32_t p = pos; p < pos + count; ++p) {
    l(pos, count, p);
    Folio& f = ip.cache[p];
    access(c.t, step("filemap_read", "RD1").reads(ip.size_obj).reads(ip.page_obj[p]));
    if (p >= ip.size_pages()) return;
    if (!f.present || !f.uptodate) {
      ip.invalidate_lock.down_read(c.t, "filemap_create_folio", "RD2");
      filemap_lock_or_create_folio(c, p, "filemap_create_folio", "RD2");
      if (!f.uptodate) iomap_read_folio(c, p, "RD3");
      ip.folio_lock[p].unlock(c.t, "filemap_create_folio", "RD3");
      ip.invalidate_lock.up_read(c.t, "filemap_create_folio", "RD3");
    }
    access(c.t, step("filemap_read", "RD4").reads(ip.page_obj[p]));  // copy_folio_to_iter
    c.t.detail([&] { return "page " + std::to_string(p) + " copied to the user"; });
  }
}

// WB9: __filemap_fdatawait_range: wait for each folio of [start, end) in
// turn to leave writeback (its I/O completion, IC1).
void filemap_fdatawait_range(Ctx& c, uint32_t start, uint32_t end) {
  Inode& ip = c.ip;
  Locals l(c, start, end);
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    l(start, end, p);
    const Folio& f = ip.cache[p];
    wait_until(c.t, ip.page_obj[p], [&f] { return !f.writeback; }, "filemap_fdatawait_range", "WB9");
  }
}

// filemap_write_and_wait_range: a WB_SYNC_ALL pass, then the wait for its I/O.
void filemap_write_and_wait_range(Ctx& c, uint32_t start, uint32_t end) {
  Locals l(c, start, end);
  xfs_vm_writepages(c, start, end, true);
  filemap_fdatawait_range(c, start, end);
}

}  // namespace fsmc::model
