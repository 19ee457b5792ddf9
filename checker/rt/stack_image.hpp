// A copy of the used part of a suspended fiber's stack, to put back later
// at the same addresses (Executor::save / restore, docs/engine.md
// "Restoring a state"). A stack grows down from its top, and a suspended
// fiber's context points at the lowest byte it uses, so the image is the
// bytes from that context to the top.
//
// Under AddressSanitizer the live frames' red zones are poisoned: the image
// records which bytes were, reads the stack past the poison, and restoring
// poisons the same bytes again, so the restored frames are checked as the
// originals were.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "rt/stack_pool.hpp"

namespace fsmc {

class StackImage {
 public:
  // Copies [from, the stack's top): `from` is a suspended fiber's context on `stack`.
  void save(const Stack& stack, const void* from);
  // Writes the bytes back where they came from.
  void restore(const Stack& stack) const;
  std::size_t bytes() const { return bytes_.size(); }

 private:
  std::size_t offset_ = 0;  // from the stack's bottom to the first byte saved
  std::vector<std::byte> bytes_;
  std::vector<std::pair<std::size_t, std::size_t>> poisoned_;  // ASan: [begin, end) offsets into bytes_
};

}  // namespace fsmc
