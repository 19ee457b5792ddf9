// Zeroed memory for a visited table's slots. A large table is probed at
// random pages, so every probe would pay a TLB miss on top of its cache
// miss: large tables ask for huge pages (where the system gives them on
// request, as Debian's transparent huge pages do), small ones come from the
// heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace fsmc {

class SlotMemory {
 public:
  SlotMemory() = default;
  explicit SlotMemory(std::size_t slots);  // throws std::bad_alloc
  SlotMemory(SlotMemory&& other) noexcept { swap(other); }
  SlotMemory& operator=(SlotMemory&& other) noexcept {
    SlotMemory(std::move(other)).swap(*this);
    return *this;
  }
  SlotMemory(const SlotMemory&) = delete;
  SlotMemory& operator=(const SlotMemory&) = delete;
  ~SlotMemory();

  uint64_t* data() const { return slots_; }
  std::size_t size() const { return size_; }
  void swap(SlotMemory& other) noexcept;

 private:
  uint64_t* slots_ = nullptr;
  std::size_t size_ = 0;
  void* mapped_ = nullptr;  // the mapping slots_ lies in, when not from the heap
  std::size_t mapped_bytes_ = 0;
};

}  // namespace fsmc
