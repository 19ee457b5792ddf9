// A kernel variant is the set of fixes it contains. Model code branches on a
// fix exactly where the kernel patch changed the code:
//   if (k.has(Fix::invalidate_lock_punch)) filemap_invalidate_lock(c);
// fix_table() names each fix and kernel_table() says which variant has
// which; Kernel::from reads every fix of the table, so a fix added there is
// parsed and toggled with no other list to update.
#pragma once

#include <bitset>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace fsmc::model {

enum class Fix {
  invalidate_lock_punch,
  mkwrite_no_iomap_end,
  punch_keeps_dirty_cache,
  iomap_valid,
  discard_folio_end,
  seek_hole_race,
  count_
};

using FixSet = std::bitset<static_cast<std::size_t>(Fix::count_)>;

constexpr FixSet fix_set(std::initializer_list<Fix> fixes) {
  unsigned long long bits = 0;
  for (Fix f : fixes) bits |= 1ull << static_cast<unsigned>(f);
  return FixSet(bits);
}

struct FixInfo {
  Fix fix;
  const char* name;         // the scenario contract's name ("fixes": {"NAME": false})
  const char* commits;      // the kernel commit ids of the patch
  const char* description;
};

struct KernelInfo {
  const char* name;  // the scenario contract's "kernel"
  const char* description;
  FixSet fixes;
};

// One entry per Fix, in the enum's order (checked at compile time).
std::span<const FixInfo> fix_table();
std::span<const KernelInfo> kernel_table();
const FixInfo* find_fix(std::string_view name);
const KernelInfo* find_kernel(std::string_view name);

struct Kernel {
  FixSet fixes;
  bool has(Fix f) const { return fixes.test(static_cast<std::size_t>(f)); }
  // The fixes on in `effective` (fix name -> on), by the names of fix_table().
  static Kernel from(const std::map<std::string, bool>& effective);
};

}  // namespace fsmc::model
