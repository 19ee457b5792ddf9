// Extent map changes (fs/xfs/libxfs/xfs_bmap.c, fs/xfs/xfs_bmap_util.c).
// Each runs under ILOCK_EXCL, which is never held across another lock or a
// step, so an ILOCK section is one atomic step of the model.
#include <algorithm>
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

namespace {
// The blocks [start, end) change; the counters move by amounts that commute
// with other threads' changes.
void declare_range(Op& op, const Inode& ip, uint32_t start, uint32_t end) {
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) op.writes(ip.extent_obj[p]);
  op.updates(ip.delayed_obj).updates(ip.seq_obj);
}

std::string range(uint32_t start, uint32_t end) {
  return end == start + 1 ? "page " + std::to_string(start)
                          : "pages " + std::to_string(start) + ".." + std::to_string(end - 1);
}
}  // namespace

// B10: reserve delalloc blocks for the hole at `offset`, clipped at the next
// extent. Returns the blocks reserved; 0 with *enospc set when space ran out.
uint32_t xfs_bmapi_reserve_delalloc(Ctx& c, uint32_t offset, uint32_t len, bool* enospc) {
  Inode& ip = c.ip;
  uint32_t alen = 0;
  while (offset + alen < ip.pages() && alen < len && ip.i_df[offset + alen] == ExtentState::hole) ++alen;
  if (ip.m_fdblocks) {
    if (*ip.m_fdblocks < alen) {
      *enospc = true;
      return 0;
    }
    *ip.m_fdblocks -= alen;
  }
  for (uint32_t p = offset; p < offset + alen; ++p) ip.i_df[p] = ExtentState::delalloc;
  ip.i_delayed_blks += alen;
  ++ip.if_seq;
  return alen;
}

// xfs_bmap_del_extent_delay over [start, end): delalloc -> hole, reservation
// returned. Other extent states are left alone. Returns the blocks punched.
uint32_t xfs_bmap_del_delalloc(Ctx& c, uint32_t start, uint32_t end, const char* function) {
  Inode& ip = c.ip;
  uint32_t n = 0;
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    if (ip.i_df[p] != ExtentState::delalloc) continue;
    ip.i_df[p] = ExtentState::hole;
    ip.holed_by[p] = c.here(function);
    ++n;
  }
  ip.i_delayed_blks -= n;
  if (ip.m_fdblocks) *ip.m_fdblocks += n;
  if (n) ++ip.if_seq;
  return n;
}

namespace {
// xfs_iext_lookup_extent_before(end): when no extent covers block end - 1,
// the end of the last extent before it (0: none). With end == 0, end - 1
// wraps to the largest offset, so this is the end of the file's last extent.
uint32_t xfs_iext_lookup_extent_before(const Inode& ip, uint32_t end) {
  if (end > 0 && ip.i_df[end - 1] != ExtentState::hole) return end;
  uint32_t b = end == 0 ? ip.pages() : end - 1;
  while (b > 0 && ip.i_df[b - 1] == ExtentState::hole) --b;
  return b;
}
}  // namespace

// E6 / R5 / R7 / WB5: one ILOCK_EXCL section punching delalloc over
// [start, end). v6.1 takes a block count and trims each extent to it; the
// byte-range version of 7348b322 trims to [start, end_fsb) with end_fsb as
// xfs_iext_lookup_extent_before left it — the same range whenever
// start < end, but for end == start == 0 everything up to the end of the
// last extent (what xfs_discard_folio hit in v6.2, S5).
void xfs_bmap_punch_delalloc_range(Ctx& c, uint32_t start, uint32_t end, const char* point) {
  Op op = step("xfs_bmap_punch_delalloc_range", point);
  bool byte_range = c.k.has(Fix::punch_keeps_dirty_cache);  // 7348b322 came with the f43dc4dc series
  declare_range(op, c.ip, byte_range && end <= start ? 0 : start, byte_range && end <= start ? c.ip.pages() : end);
  access(c.t, op);
  uint32_t trim_end = byte_range ? xfs_iext_lookup_extent_before(c.ip, end) : end;
  uint32_t n = start < trim_end ? xfs_bmap_del_delalloc(c, start, trim_end, "xfs_bmap_punch_delalloc_range") : 0;
  c.t.detail([&] {
    std::string asked = start < end ? range(start, end) : "the empty range at page " + std::to_string(start);
    std::string trimmed = trim_end > end ? " (the extent lookup moved its end to page " + std::to_string(trim_end) + ")" : "";
    return "punch delalloc over " + asked + trimmed + ": " + std::to_string(n) + " block(s) -> hole";
  });
}

// WB4: xfs_bmapi_convert_delalloc allocates the whole delalloc extent that
// contains `page` (not just the page) as unwritten. Finding a hole there
// (the delalloc was punched since xfs_map_blocks looked) is a WARN_ON and
// -EAGAIN; a real extent (converted meanwhile) is taken as it is.
bool xfs_bmapi_convert_delalloc(Ctx& c, uint32_t page) {
  Inode& ip = c.ip;
  uint32_t start = page, end = page + 1;
  Op op = step("xfs_bmapi_convert_delalloc", "WB4");
  // The extent's bounds are found under ILOCK: declare every block it may span.
  declare_range(op, ip, 0, ip.pages());
  access(c.t, op.updates(ip.warn_obj));
  if (ip.i_df[page] == ExtentState::hole) {
    warn_on(c, "xfs_bmapi_convert_delalloc: no extent at page " + std::to_string(page));
    return false;
  }
  if (ip.i_df[page] != ExtentState::delalloc) {
    c.t.detail([&] { return "page " + std::to_string(page) + " is no longer delalloc"; });
    return true;
  }
  while (start > 0 && ip.i_df[start - 1] == ExtentState::delalloc) --start;
  while (end < ip.pages() && ip.i_df[end] == ExtentState::delalloc) ++end;
  for (uint32_t p = start; p < end; ++p) ip.i_df[p] = ExtentState::unwritten;
  ip.i_delayed_blks -= end - start;
  ++ip.if_seq;
  c.t.detail([&] { return "allocate delalloc " + range(start, end) + " -> unwritten"; });
  return true;
}

// xfs_bunmapi over [start, end): everything becomes a hole; delalloc gives its
// reservation back, real blocks go back to free space.
void xfs_bunmapi(Ctx& c, uint32_t start, uint32_t end, const char* function) {
  Inode& ip = c.ip;
  uint32_t freed = 0;
  for (uint32_t p = start; p < end && p < ip.pages(); ++p) {
    ExtentState& e = ip.i_df[p];
    if (e == ExtentState::hole) continue;
    if (e == ExtentState::delalloc) --ip.i_delayed_blks;
    e = ExtentState::hole;
    ip.disk[p] = Sectors{};
    ip.holed_by[p] = c.here(function);
    ++freed;
  }
  if (ip.m_fdblocks) *ip.m_fdblocks += freed;
  if (freed) ++ip.if_seq;
}

}  // namespace fsmc::model
