// mm/memory.c: loads and stores of a user process through a MAP_SHARED
// mapping, and the fault handling they trigger (do_shared_fault,
// wp_page_shared, finish_fault).
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

namespace {

// M11: install a writable PTE; fault_dirty_shared_page marks the folio
// dirty and unlocks it.
void finish_write_fault(Ctx& c, uint32_t page) {
  Inode& ip = c.ip;
  ip.folio_lock[page].unlock(c.t, step("fault_dirty_shared_page", "M11").writes(ip.page_obj[page]));
  Folio& f = ip.cache[page];
  f.mapped = f.writable = true;
  f.dirty = true;
  c.t.detail([&] { return "page " + std::to_string(page) + ": writable PTE installed"; });
}

// A write fault. No PTE: do_shared_fault reads the folio in first (M1-M2);
// a read-only PTE: wp_page_shared goes straight to ->page_mkwrite.
// `gen` is the folio the PTE maps, when there is one.
Fault handle_write_fault(Ctx& c, uint32_t page, bool has_pte, uint32_t gen) {
  Locals l(c, page, has_pte, gen);
  if (!has_pte) {
    Fault f = filemap_fault(c, page);  // M1
    if (f != Fault::locked) return f;
    gen = c.ip.cache[page].gen;
    l(page, has_pte, gen, 2);
    c.ip.folio_lock[page].unlock(c.t, "do_shared_fault", "M2");
  }
  l(page, has_pte, gen, 3);
  Fault f = xfs_filemap_page_mkwrite(c, page, gen);  // M3-M10
  if (f != Fault::locked) return f;
  l(page, has_pte, gen, 4);
  finish_write_fault(c, page);
  return Fault::locked;
}

}  // namespace

// M12: the store. It lands only through a writable PTE; otherwise it faults
// and is retried, as the CPU does — also when writeback write-protected the
// page or truncation zapped it between the fault and the store.
void mmap_store(Ctx& c, uint32_t page, Data data) {
  Inode& ip = c.ip;
  Folio& f = ip.cache[page];
  Locals l(c, page, data_local(data));
  for (;;) {
    access(c.t, step("mmap store", "M12").writes(ip.page_obj[page]).reads(ip.size_obj));
    if (f.present && f.writable) {
      // The store fills the page; only what lies below EOF is promised (a
      // store that lands after truncate lowered i_size may be discarded).
      f.data = filled(data);
      if (page * page_size < ip.i_size) {
        Promise& promise = ip.promised[page];
        for (uint32_t s = 0; s < sectors_per_page; ++s)
          if (page * page_size + s * sector_size < ip.i_size) promise.data[s] = data;
        promise = {promise.data, c.here("mmap store"), "mmap store", data};
      }
      c.t.detail([&] { return "page " + std::to_string(page) + ": store lands (folio " + describe(f) + ")"; });
      return;
    }
    bool has_pte = f.present && f.mapped;
    c.t.detail([&] { return std::string(has_pte ? "read-only PTE" : "no PTE") + ": write fault"; });
    if (handle_write_fault(c, page, has_pte, f.gen) == Fault::sigbus) return;
  }
}

// A load: through an existing PTE, or after a read fault installs one (RF7).
void mmap_load(Ctx& c, uint32_t page) {
  Inode& ip = c.ip;
  Folio& f = ip.cache[page];
  Locals l(c, page);
  for (;;) {
    access(c.t, step("mmap load", "RF0").reads(ip.page_obj[page]));
    if (f.present && f.mapped) return;
    Fault r = filemap_fault(c, page);
    if (r == Fault::sigbus) return;
    if (r == Fault::retry) continue;
    ip.folio_lock[page].unlock(c.t, step("filemap_map_pages", "RF7").writes(ip.page_obj[page]));
    f.mapped = true;
    c.t.detail([&] { return "page " + std::to_string(page) + ": read-only PTE installed"; });
  }
}

}  // namespace fsmc::model
