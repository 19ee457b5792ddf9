// The model's state: one XFS inode with its page cache, data fork, space
// counters and locks, plus the ghost state the invariants judge against.
// Field names follow the kernel's where it has one.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker.hpp"
#include "model/fixes.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

// What a 512-byte sector holds: zeros, the file's initial contents, or the
// data of one write or mmap store (each op of a scenario has its own tag).
using Data = uint32_t;
inline constexpr Data zeros = 0;
inline constexpr Data initial_data = 1;

// Block size == page size == folio size; data is tracked per sector, the
// unit of partial-page writes.
inline constexpr uint64_t page_size = 4096;
// The largest file the model holds (the scenario contract's limit);
// build_program refuses more, and writeback's per-pass arrays rely on it.
inline constexpr uint32_t max_pages = 64;
inline constexpr uint64_t sector_size = 512;
inline constexpr uint32_t sectors_per_page = page_size / sector_size;
using Sectors = std::array<Data, sectors_per_page>;
inline Sectors filled(Data d) {
  Sectors s;
  s.fill(d);
  return s;
}
// One word standing for a page's sectors (hashing, Locals).
uint64_t key(const Sectors& s);

struct Folio {
  bool present = false;
  bool uptodate = false;
  bool dirty = false;
  bool writeback = false;
  bool mapped = false;    // some process has a PTE for it
  bool writable = false;  // ... and the PTE allows stores (set after ->page_mkwrite)
  Sectors data{};
  uint32_t gen = 0;       // which folio of the slot this is (see Inode::slot_gen)
};

// A folio's block on its way to disk: added to the pass's open ioend at
// WB6, submitted with that ioend (WB8), completed with it by an I/O
// completion worker (IC1). `data` is what the folio held when its
// writeback started; `end` is set on an in-flight ioend's first page: the
// ioend covers [that page, end).
enum class Io : uint8_t { none, queued, in_flight };
struct Ioend {
  Io state = Io::none;
  Sectors data{};
  uint32_t end = 0;
};

// Who last did something to a page, for plain-words messages.
struct Origin {
  ThreadId thread = no_thread;
  uint32_t step = 0;
  const char* function = "";
};

// Ghost: what a later read of the page must return.
struct Promise {
  Sectors data{};
  Origin by;          // the op that changed the page's promise last ...
  const char* what = "the initial file contents";
  Data tag = zeros;   // ... and what it promised, to tell its sectors from older ones
  bool any = false;  // its writeback failed with an injected I/O error: it may read as anything
};

// Engine objects made one per page, with consecutive ids: a value, not a
// vector, so that saving and restoring a state copies no list of them.
struct PageObjects {
  ObjectId first = no_object;
  uint32_t pages = 0;
  ObjectId operator[](uint32_t page) const { return first + page; }
  bool holds(ObjectId o) const { return o >= first && o - first < pages; }
};

struct Inode {
  // VFS / XFS state
  uint64_t i_size = 0;                 // in bytes
  std::vector<Folio> cache;            // i_mapping, one slot per page
  std::vector<uint32_t> slot_gen;      // folios created in each slot so far: a folio's identity
  std::vector<ExtentState> i_df;       // data fork, one block per page
  std::vector<Sectors> disk;           // block contents (meaningful when written)
  std::vector<Ioend> ioend;            // per page: its block's I/O, queued or in flight
  int64_t i_delayed_blks = 0;          // reserved delalloc blocks
  std::optional<uint64_t> m_fdblocks;  // free blocks; none: ample
  uint64_t if_seq = 0;                 // data fork change counter (iomap validity cookie)

  // locks
  RwSem i_rwsem;          // IOLOCK
  RwSem invalidate_lock;  // MMAPLOCK
  std::vector<Mutex> folio_lock;

  // engine objects for dependence
  ObjectId size_obj = no_object;
  ObjectId delayed_obj = no_object;  // i_delayed_blks and m_fdblocks
  ObjectId seq_obj = no_object;
  ObjectId warn_obj = no_object;     // the WARN_ONs that fired
  PageObjects page_obj;    // the folio in each slot
  PageObjects extent_obj;  // the block under each page

  // ghost state
  std::vector<Promise> promised;
  std::vector<Origin> holed_by;      // who last turned each block into a hole
  // Fixed when the program is built, and kept by it: a state holds only
  // the pointer, so saving and restoring one copies no names.
  const std::vector<std::string>* thread_names = nullptr;
  std::optional<uint64_t> total_blocks;  // free + reserved + allocated, when free space is limited
  std::string warning;                   // the first WARN_ON that fired, in words

  uint32_t pages() const { return static_cast<uint32_t>(cache.size()); }
  // Pages holding bytes below i_size.
  uint32_t size_pages() const { return static_cast<uint32_t>((i_size + page_size - 1) / page_size); }
};

// Per model thread: the thread, the inode, the kernel variant, and for state
// caching the locals of the model functions it is in (see Locals).
struct Ctx {
  static constexpr uint32_t max_depth = 12, max_values = 8;
  Thread& t;
  Inode& ip;
  const Kernel& k;
  // The values of each active function's Locals, outermost first; hashed
  // only when the search keys a state (locals_hash).
  std::array<std::array<uint64_t, max_values>, max_depth> frames{};
  std::array<uint8_t, max_depth> counts{};
  uint32_t depth = 0;

  Origin here(const char* function) const { return {t.id(), t.executor().step_count(), function}; }
  static uint64_t locals_hash(const void* ctx);
};

// The locals of a model function that outlive one of its steps, for state
// caching (docs/model.md): constructed on entry with the function's own
// values, called again whenever one of them changes, before the next step
// (a callee's steps included). Where a function will go on after a call
// must be in its values when it is not told by the step announced (a phase
// number). Holds no memory: an execution that ends early may drop it unrun.
class Locals {
 public:
  template <class... V>
  explicit Locals(Ctx& c, V... values) : c_(c), at_(c.depth++) {
    assert(at_ < Ctx::max_depth);
    (*this)(values...);
  }
  Locals(const Locals&) = delete;
  Locals& operator=(const Locals&) = delete;
  ~Locals() { --c_.depth; }
  template <class... V>
  void operator()(V... values) {
    static_assert(sizeof...(V) <= Ctx::max_values);
    c_.frames[at_] = {static_cast<uint64_t>(values)...};
    c_.counts[at_] = sizeof...(V);
  }

 private:
  Ctx& c_;
  uint32_t at_;
};

// A step named after the kernel function and its step id (docs/kernel-steps.md).
inline Op step(const char* function, const char* point) { return Op{.function = function, .point = point}; }

std::string describe(const Folio& f);

// A hash of everything that decides what the threads can still do and what
// the invariants will say: the inode and the promised data, but not who
// did what when (which only words the messages).
uint64_t hash_state(const Inode& ip);
// The part of that state an engine object stands for (Builder::object_hash).
uint64_t hash_object(const Inode& ip, ObjectId o);

// Whose data each tag is, for the symmetry of identical threads
// (Builder::symmetric): tag d is op `op[d]` of thread `thread[d]`, and a
// thread's ops' tags are consecutive from `first[thread]`.
struct DataOwners {
  std::vector<ThreadId> thread;
  std::vector<uint32_t> op;
  std::vector<Data> first;
  // Tag d as thread order[t]'s instead of thread t's.
  Data renamed(Data d, const ThreadOrder& order) const {
    return d < thread.size() && thread[d] != no_thread ? first[order[thread[d]]] + op[d] : d;
  }
};
// hash_object of the inode with every thread's data renamed by `order`.
uint64_t hash_object(const Inode& ip, ObjectId o, const DataOwners& owners, const ThreadOrder& order);
// Where thread t's data is in the hashed state (which field of which page,
// which sector, which of t's ops), in words that do not name t.
uint64_t own_data(const Inode& ip, const DataOwners& owners, ThreadId t);
// A Data value among a function's Locals: zeros or not. Which op's data it
// is follows from the op index in the thread's outermost frame; leaving the
// tag out lets identical threads at the same place have equal locals.
inline uint64_t data_local(Data d) { return d != zeros; }

}  // namespace fsmc::model
