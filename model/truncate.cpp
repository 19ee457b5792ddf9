// mm/truncate.c: removing folios from the page cache.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// truncate_pagecache_range over the pages [start, end): per folio one step
// that waits for its lock and its writeback, zaps its PTEs, cancels its dirty
// bit and removes it — dirty data is thrown away.
void truncate_pagecache_range(Ctx& c, uint32_t start, uint32_t end, const char* point) {
  Inode& ip = c.ip;
  Locals l(c, start, end);
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    l(start, end, p);
    Folio& f = ip.cache[p];
    Mutex lock = ip.folio_lock[p];
    const Executor& e = c.t.executor();
    Op op = step("truncate_pagecache_range", point).writes(ip.page_obj[p]).reads(lock.id);
    wait_until(c.t, op, [&] { return !f.present || (!lock.locked(e) && !f.writeback); });
    if (!f.present) {
      c.t.detail([&] { return "page " + std::to_string(p) + ": nothing cached"; });
      continue;
    }
    bool was_dirty = f.dirty;
    f = Folio{};
    c.t.detail([&] {
      return "page " + std::to_string(p) + ": unmapped and removed from the page cache" +
             (was_dirty ? " (dirty data discarded)" : "");
    });
  }
}

// truncate_setsize: i_size first, then the page cache beyond it. The data
// there is legitimately gone: nothing at or beyond EOF is promised.
void truncate_setsize(Ctx& c, uint64_t newsize) {
  Inode& ip = c.ip;
  Locals l(c, newsize);
  // The promises of the pages beyond the new size change with it.
  Op op = step("truncate_setsize", "TR3").writes(ip.size_obj);
  for (uint32_t p = page_of(newsize); p < ip.pages(); ++p) op.writes(ip.page_obj[p]);
  access(c.t, op);
  uint64_t old = ip.i_size;
  ip.i_size = newsize;
  for (uint32_t p = page_of(newsize); p < ip.pages(); ++p) {
    Promise& promise = ip.promised[p];
    for (uint32_t s = 0; s < sectors_per_page; ++s)
      if (p * page_size + s * sector_size >= newsize) promise.data[s] = zeros;
    promise.by = c.here("truncate_setsize");
    promise.what = "truncate";
    promise.tag = zeros;
    if (p * page_size >= newsize) promise.any = false;  // the page and its block are gone
  }
  c.t.detail([&] { return "i_size " + std::to_string(old) + " -> " + std::to_string(newsize); });
  if (newsize < old) truncate_pagecache_range(c, pages_to(newsize), ip.pages(), "TR3");
}

}  // namespace fsmc::model
