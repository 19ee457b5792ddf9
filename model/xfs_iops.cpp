// fs/xfs/xfs_iops.c: size changes through setattr.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// xfs_vn_setattr_size -> xfs_setattr_size, with IOLOCK_EXCL (the VFS's
// inode_lock) and MMAPLOCK_EXCL held throughout. Pages go before extents, so
// no dirty page ever sits over a freed block. `newsize` in bytes.
void xfs_vn_setattr_size(Ctx& c, uint64_t newsize) {
  Inode& ip = c.ip;
  Locals l(c, newsize);
  ip.i_rwsem.down_write(c.t, "do_truncate", "TR0");
  ip.invalidate_lock.down_write(c.t, "xfs_vn_setattr", "TR0");
  // TR1: no direct I/O to wait for.
  access(c.t, step("xfs_setattr_size", "TR2").reads(ip.size_obj));
  uint64_t oldsize = ip.i_size;
  l(newsize, oldsize);
  if (newsize > oldsize) {
    // TR2 up: zero [oldsize, newsize) through the page cache. (The TR4
    // flush of what zeroing dirtied is not modelled: i_disk_size is not.)
    xfs_zero_range(c, oldsize, newsize);
  } else if (page_of(newsize) < ip.pages()) {
    // TR2 down: flush [newsize, newsize], which converts the whole delalloc
    // extent around it; a page-aligned size leaves no EOF block to zero.
    filemap_write_and_wait_range(c, page_of(newsize), page_of(newsize) + 1);
  }
  truncate_setsize(c, newsize);  // TR3
  if (newsize <= oldsize) {      // TR5: xfs_itruncate_extents only when not growing
    uint32_t first = pages_to(newsize);
    Op op = step("xfs_itruncate_extents", "TR5").reads(ip.size_obj);
    for (uint32_t p = first; p < ip.pages(); ++p) op.writes(ip.extent_obj[p]);
    access(c.t, op.updates(ip.delayed_obj).updates(ip.seq_obj));
    xfs_bunmapi(c, first, ip.pages(), "xfs_itruncate_extents");
    c.t.detail([&] { return "blocks from page " + std::to_string(first) + " freed"; });
  }
  ip.invalidate_lock.up_write(c.t, "xfs_vn_setattr", "TR6");
  ip.i_rwsem.up_write(c.t, "do_truncate", "TR6");
}

}  // namespace fsmc::model
