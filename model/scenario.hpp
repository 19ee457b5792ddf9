// A scenario as the model sees it: the initial file, the threads and their
// operations. The CLI maps scenario files into this struct (see
// docs/scenario-format.md) and validate() (validate.hpp) judges it; tests may
// build it directly. The names it holds are those of the tables in
// fixes.hpp, ops.hpp and invariants.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/fixes.hpp"
#include "model/states.hpp"
#include "rt/executor.hpp"

namespace fsmc::model {

struct OpSpec {
  std::string op;                 // a name from op_table(): write, mmap_write, truncate, ...
  uint32_t page = 0;              // write, read, mmap_*, punch_hole, reclaim, ranged writeback
  uint32_t pages = 1;             // write, read, punch_hole, ranged writeback
  bool byte_range = false;        // write: given by offset and length in bytes instead of page and pages
  uint64_t offset = 0;            // write with byte_range: first byte (a multiple of 512)
  uint64_t length = 0;            // write with byte_range: bytes (a multiple of 512)
  std::optional<uint64_t> copy;   // write: pages (bytes, for a byte range) copied before the user buffer faults; none = all
  bool copy_any = false;          // write: "copy": "any", every short-copy point explored
  bool ranged = false;            // writeback: page/pages given (else the whole file)
  bool sync = false;              // writeback: WB_SYNC_ALL
  std::optional<uint32_t> fail;   // writeback: mapping this page for I/O fails once
  bool fail_any = false;          // writeback: "fail": "any", a failure at each page of the pass explored, and none
  uint32_t size = 0;              // truncate: new i_size in pages

  bool operator==(const OpSpec&) const = default;
};

struct ThreadSpec {
  std::string name;
  std::vector<OpSpec> ops;
};

struct FileSpec {
  uint32_t size = 0;                     // i_size in pages
  uint32_t pages = 0;                    // page slots of the address space
  std::vector<ExtentState> extents;      // one per page slot
  std::vector<CacheState> cache;         // one per page slot
  std::optional<uint64_t> free_blocks;   // none: ample

  // The page slots: file.pages, which a scenario file defaults to file.size.
  uint32_t page_slots() const { return pages ? pages : size; }
};

struct Scenario {
  std::string name;
  std::string description;
  std::string kernel;                    // a name from kernel_table()
  std::map<std::string, bool> fixes;     // overrides of single fixes of the kernel
  FileSpec file;
  std::vector<ThreadSpec> threads;
  std::vector<std::string> check;        // invariants to check; empty: all
};

// The fixes in effect: every known fix, on when the kernel has it, after overrides.
std::map<std::string, bool> effective_fixes(const Scenario& scenario);

// The model program of a scenario validate() accepts (it throws
// std::invalid_argument on one it rejects): fresh state, one model thread per
// scenario thread, the invariants of the contract. Checking only the
// scenario's `check` list is the search's job (SearchConfig::check).
Program build_program(const Scenario& scenario);

}  // namespace fsmc::model
