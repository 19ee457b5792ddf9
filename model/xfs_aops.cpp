// fs/xfs/xfs_aops.c: writeback mapping and I/O completion.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

void xfs_vm_writepages(Ctx& c, uint32_t start, uint32_t end, bool sync) { iomap_writepages(c, start, end, sync); }

// WB3-WB4: a folio wholly beyond EOF is not written; otherwise look the
// block up under ILOCK_SHARED and allocate delalloc. A hole is skipped
// silently: no I/O, no error.
ExtentState xfs_map_blocks(Ctx& c, uint32_t page, bool* beyond_eof) {
  Inode& ip = c.ip;
  Locals l(c, page);
  access(c.t, step("xfs_map_blocks", "WB4").reads(ip.size_obj).reads(ip.extent_obj[page]));
  *beyond_eof = page >= ip.i_size;
  if (*beyond_eof) {
    c.t.detail([&] { return "page " + std::to_string(page) + " is beyond EOF: not written"; });
    return ExtentState::hole;
  }
  ExtentState type = ip.i_df[page];
  c.t.detail([&] { return "page " + std::to_string(page) + " maps to " + to_string(type); });
  if (type == ExtentState::delalloc) {
    xfs_bmapi_convert_delalloc(c, page);
    type = ip.i_df[page];
  }
  return type;
}

// IC1: xfs_end_ioend: the data reaches the block, unwritten becomes written
// for this block, and the folio leaves writeback.
void xfs_end_ioend(Ctx& c, uint32_t page, Data data) {
  Inode& ip = c.ip;
  access(c.t, step("xfs_end_ioend", "IC1")
                  .writes(ip.extent_obj[page])
                  .writes(ip.page_obj[page])
                  .updates(ip.seq_obj));
  ExtentState& e = ip.i_df[page];
  if (e != ExtentState::hole) {
    ip.disk[page] = data;
    if (e == ExtentState::unwritten) {
      e = ExtentState::written;
      ++ip.if_seq;
    }
  }
  ip.cache[page].writeback = false;
  c.t.detail([&] { return "page " + std::to_string(page) + ": I/O done, block " + to_string(e); });
}

}  // namespace fsmc::model
