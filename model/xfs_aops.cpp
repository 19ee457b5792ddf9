// fs/xfs/xfs_aops.c: writeback mapping, its error path and I/O completion.
#include <algorithm>
#include <span>
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

void xfs_vm_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync, WritebackFailure fail) {
  iomap_writepages(c, start, end, sync, fail);
}

// WB3-WB4: a folio wholly beyond EOF is not written; otherwise look the
// block up under ILOCK_SHARED and allocate delalloc. A hole is skipped
// silently: no I/O, no error. `inject_error`: the mapping fails with an I/O
// error before anything is looked up or allocated (a scenario's `fail`).
WritebackMap xfs_map_blocks(Ctx& c, uint32_t page, bool inject_error) {
  Inode& ip = c.ip;
  Locals l(c, page, inject_error);
  access(c.t, step("xfs_map_blocks", "WB4").reads(ip.size_obj).reads(ip.extent_obj[page]));
  WritebackMap map;
  map.eof = ip.i_size;
  map.beyond_eof = page * page_size >= ip.i_size;
  if (map.beyond_eof) {
    c.t.detail([&] { return "page " + std::to_string(page) + " is beyond EOF: not written"; });
    return map;
  }
  if (inject_error) {
    map.error = true;
    c.t.detail([&] { return "page " + std::to_string(page) + ": mapping fails with an I/O error (injected)"; });
    return map;
  }
  map.type = ip.i_df[page];
  c.t.detail([&] { return "page " + std::to_string(page) + " maps to " + to_string(map.type); });
  if (map.type == ExtentState::delalloc) {
    l(page, inject_error, map.eof);
    map.error = !xfs_bmapi_convert_delalloc(c, page);
    map.type = ip.i_df[page];
  }
  return map;
}

// WB5: after a mapping error, punch the delalloc under the folio from the
// failing position. v6.1 gives the helper the folio's blocks from there;
// 7348b322 passes the byte range [pos, round_up(pos, folio size)), empty
// when pos is the folio's first byte — always so with one block per folio —
// and 8ac5b996 ends it at the end of the folio.
void xfs_discard_folio(Ctx& c, uint32_t page) {
  if (!c.k.has(Fix::punch_keeps_dirty_cache)) {
    xfs_bmap_punch_delalloc_range(c, page, page + 1, "WB5");
    return;
  }
  uint32_t end = c.k.has(Fix::discard_folio_end) ? page + 1  // 8ac5b996: folio_pos + folio_size
                                                 : page;     // 7348b322: round_up(folio_pos, folio_size)
  xfs_bmap_punch_delalloc_range(c, page, end, "WB5");
}

namespace {

// IC1: xfs_end_ioend: for each block of the ioend [first, end) the data
// reaches it, unwritten becomes written, and the folio leaves writeback.
void xfs_end_ioend(Ctx& c, uint32_t first, uint32_t end) {
  Inode& ip = c.ip;
  for (uint32_t page = first; page < end; ++page) {
    ExtentState& e = ip.i_df[page];
    if (e != ExtentState::hole) {
      ip.disk[page] = ip.ioend[page].data;
      if (e == ExtentState::unwritten) {
        e = ExtentState::written;
        ++ip.if_seq;
      }
    }
    ip.ioend[page] = Ioend{};
    ip.cache[page].writeback = false;
  }
  c.t.detail([&] {
    return "I/O done for pages " + std::to_string(first) + ".." + std::to_string(end - 1) + ", blocks " +
           to_string(ip.i_df[first]);
  });
}

// An ioend's length is known only when it is submitted, so a worker's step
// declares every page from its first one to the end of the file.
Op completion_step(const Inode& ip, uint32_t first) {
  uint32_t count = ip.pages() - first;
  return step("xfs_end_ioend", "IC1").writes(ip.page_obj[first], count).writes(ip.extent_obj[first], count).updates(ip.seq_obj);
}

}  // namespace

// An I/O completion worker for the ioends that start at one of `pages`
// (bio end_io, or the xfs-conv work item for unwritten blocks): it
// completes a submitted ioend whenever it is scheduled — after the
// submitting pass moved on or returned, and in any order between ioends.
// A worker serving several pages chooses which of their ioends completes next.
void xfs_end_io(Ctx& c, std::span<const uint32_t> pages) {
  Inode& ip = c.ip;
  auto submitted = [&ip](uint32_t p) { return ip.ioend[p].state == Io::in_flight && ip.ioend[p].end > p; };
  Locals l(c);
  for (;;) {
    wait_until(c.t, completion_step(ip, pages[0]),
               [&] { return std::any_of(pages.begin(), pages.end(), submitted); });
    auto n = static_cast<uint32_t>(std::count_if(pages.begin(), pages.end(), submitted));
    l(n);
    uint32_t pick = n > 1 ? c.t.choose(n, "xfs_end_io", "IC1") : 0;
    uint32_t first = 0;
    for (uint32_t p : pages)
      if (submitted(p) && pick-- == 0) {
        first = p;
        break;
      }
    l(n, first);
    if (n > 1) access(c.t, completion_step(ip, first));
    xfs_end_ioend(c, first, ip.ioend[first].end);
    l();
  }
}

}  // namespace fsmc::model
