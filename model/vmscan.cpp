// mm/vmscan.c: reclaim of one folio (EV1). No inode lock is taken: this can
// happen inside any other thread's critical section.
#include <string>

#include "model/paths.hpp"

namespace fsmc::model {

void reclaim_folio(Ctx& c, uint32_t page) {
  Inode& ip = c.ip;
  Folio& f = ip.cache[page];
  Mutex lock = ip.folio_lock[page];
  // folio_trylock, then iomap_release_folio, which refuses dirty and writeback folios
  bool locked = lock.trylock_within_step(c.t, step("shrink_folio_list", "EV1").writes(ip.page_obj[page]));
  if (!f.present || f.dirty || f.writeback || !locked) {
    c.t.detail([&] { return "page " + std::to_string(page) + ": not reclaimable (" + describe(f) + ")"; });
    return;
  }
  f = Folio{};
  c.t.detail([&] { return "page " + std::to_string(page) + ": clean folio evicted"; });
}

}  // namespace fsmc::model
