#include "model/inode.hpp"

namespace fsmc::model {

const char* to_string(ExtentState s) {
  switch (s) {
    case ExtentState::hole: return "hole";
    case ExtentState::delalloc: return "delalloc";
    case ExtentState::unwritten: return "unwritten";
    case ExtentState::written: return "written";
  }
  return "?";
}

std::string describe(const Folio& f) {
  if (!f.present) return "absent";
  std::string s = f.dirty ? "dirty" : f.uptodate ? "clean" : "!uptodate";
  if (f.writeback) s += "+writeback";
  if (f.writable) s += "+rw-pte";
  else if (f.mapped) s += "+ro-pte";
  return s;
}

}  // namespace fsmc::model
