// A kernel variant is the set of fixes it contains. Model code branches on a
// fix exactly where the kernel patch changed the code:
//   if (k.has(Fix::invalidate_lock_punch)) filemap_invalidate_lock(c);
#pragma once

#include <bitset>
#include <map>
#include <string>

namespace fsmc::model {

enum class Fix {
  invalidate_lock_punch,    // 198dd8ae
  mkwrite_no_iomap_end,     // 118e021b
  punch_keeps_dirty_cache,  // f43dc4dc (+ b71f889c, 9c7babf9, 7348b322)
  iomap_valid,              // d7b64041 + 304a68b9
  discard_folio_end,        // 8ac5b996
  seek_hole_race,           // 7a9d43eace88
  count_
};

struct Kernel {
  std::bitset<static_cast<std::size_t>(Fix::count_)> fixes;
  bool has(Fix f) const { return fixes.test(static_cast<std::size_t>(f)); }
  static Kernel from(const std::map<std::string, bool>& effective);
};

}  // namespace fsmc::model
