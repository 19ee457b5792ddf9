// fs/xfs/xfs_iops.c: size changes through setattr.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

// xfs_vn_setattr_size -> xfs_setattr_size, with IOLOCK_EXCL (the VFS's
// inode_lock) and MMAPLOCK_EXCL held throughout. Pages go before extents, so
// no dirty page ever sits over a freed block.
void xfs_vn_setattr_size(Ctx& c, uint32_t newsize) {
  Inode& ip = c.ip;
  Locals l(c, newsize);
  ip.i_rwsem.down_write(c.t, "do_truncate", "TR0");
  ip.invalidate_lock.down_write(c.t, "xfs_vn_setattr", "TR0");
  // TR1: no direct I/O to wait for. TR2: a size that does not grow flushes
  // [newsize, newsize] — with whole-page sizes the page at index newsize,
  // which converts the whole delalloc extent around it — and then has no
  // partial EOF block to zero.
  access(c.t, step("xfs_setattr_size", "TR2").reads(ip.size_obj));
  if (newsize <= ip.i_size && newsize < ip.pages()) xfs_vm_writepages(c, newsize, newsize + 1, true);
  truncate_setsize(c, newsize);  // TR3
  Op op = step("xfs_itruncate_extents", "TR5").reads(ip.size_obj);
  for (uint32_t p = newsize; p < ip.pages(); ++p) op.writes(ip.extent_obj[p]);
  access(c.t, op.updates(ip.delayed_obj).updates(ip.seq_obj));
  xfs_bunmapi(c, newsize, ip.pages(), "xfs_itruncate_extents");
  c.t.detail([&] { return "blocks from page " + std::to_string(newsize) + " freed"; });
  ip.invalidate_lock.up_write(c.t, "xfs_vn_setattr", "TR6");
  ip.i_rwsem.up_write(c.t, "do_truncate", "TR6");
}

}  // namespace fsmc::model
