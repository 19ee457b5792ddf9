#include "search/slot_memory.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <utility>

namespace fsmc {

namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;
}

SlotMemory::SlotMemory(std::size_t slots) : size_(slots) {
  std::size_t bytes = slots * sizeof(uint64_t);
  if (bytes < huge_page) {
    slots_ = static_cast<uint64_t*>(std::calloc(slots, sizeof(uint64_t)));
    if (!slots_) throw std::bad_alloc();
    return;
  }
  // A mapping one huge page longer, for a start on a huge page's boundary
  // (the kernel places anonymous mappings only page-aligned).
  mapped_bytes_ = bytes + huge_page;
  mapped_ = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped_ == MAP_FAILED) {
    mapped_ = nullptr;
    throw std::bad_alloc();
  }
  uintptr_t start = (reinterpret_cast<uintptr_t>(mapped_) + huge_page - 1) & ~(huge_page - 1);
  slots_ = reinterpret_cast<uint64_t*>(start);
  madvise(slots_, bytes, MADV_HUGEPAGE);  // a request: without it, ordinary pages
}

SlotMemory::~SlotMemory() {
  if (mapped_) munmap(mapped_, mapped_bytes_);
  else std::free(slots_);
}

void SlotMemory::swap(SlotMemory& other) noexcept {
  std::swap(slots_, other.slots_);
  std::swap(size_, other.size_);
  std::swap(mapped_, other.mapped_);
  std::swap(mapped_bytes_, other.mapped_bytes_);
}

}  // namespace fsmc
