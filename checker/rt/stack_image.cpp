#include "rt/stack_image.hpp"

#include <cstring>
#include <stdexcept>

#include "rt/asan_fiber.hpp"

namespace fsmc {

namespace {

[[maybe_unused]] bool poisoned(const std::byte* p) {
#ifdef FSMC_ASAN
  return __asan_address_is_poisoned(p);
#else
  (void)p;
  return false;
#endif
}

}  // namespace

void StackImage::save(const Stack& stack, const void* from) {
  const auto* bottom = static_cast<const std::byte*>(stack.bottom());
  const auto* first = static_cast<const std::byte*>(from);
  if (first < bottom || first > bottom + stack.size())
    throw std::logic_error("a fiber's context lies outside its stack");
  offset_ = static_cast<std::size_t>(first - bottom);
  std::size_t n = stack.size() - offset_;
  bytes_.resize(n);
#ifdef FSMC_ASAN
  // The red zones, as runs of poisoned bytes; then the bytes themselves
  // with the poison lifted for the copy and laid back after it.
  poisoned_.clear();
  for (const std::byte* p = first; p < first + n;) {
    const void* next = __asan_region_is_poisoned(const_cast<std::byte*>(p), static_cast<std::size_t>(first + n - p));
    if (!next) break;
    const auto* begin = static_cast<const std::byte*>(next);
    const std::byte* end = begin;
    while (end < first + n && poisoned(end)) ++end;
    poisoned_.emplace_back(begin - first, end - first);
    p = end;
  }
  __asan_unpoison_memory_region(first, n);
  std::memcpy(bytes_.data(), first, n);
  for (auto [b, e] : poisoned_) __asan_poison_memory_region(first + b, e - b);
#else
  std::memcpy(bytes_.data(), first, n);
#endif
}

void StackImage::restore(const Stack& stack) const {
  auto* first = const_cast<std::byte*>(static_cast<const std::byte*>(stack.bottom())) + offset_;
#ifdef FSMC_ASAN
  // Whatever frames the stack held are gone; the image's red zones come back.
  asan::forget_frames(stack.bottom(), stack.size());
  std::memcpy(first, bytes_.data(), bytes_.size());
  for (auto [b, e] : poisoned_) __asan_poison_memory_region(first + b, e - b);
#else
  std::memcpy(first, bytes_.data(), bytes_.size());
#endif
}

}  // namespace fsmc
