// Fiber stacks, mapped once per thread slot and reused by every execution.
// Mapping a fresh stack costs ~11 us, more than a whole small execution.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace fsmc {

class Stack {
 public:
  explicit Stack(std::size_t usable);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  // The whole usable stack, for a new fiber.
  boost::context::stack_context context() const;
  const void* bottom() const { return static_cast<const char*>(base_) + guard_; }
  std::size_t size() const { return total_ - guard_; }

 private:
  void* base_ = nullptr;  // guard page first, then the usable part
  std::size_t total_ = 0;
  std::size_t guard_ = 0;
};

class StackPool {
 public:
  explicit StackPool(std::size_t stack_size) : stack_size_(stack_size) {}
  Stack& slot(std::size_t i);
  std::size_t stack_size() const { return stack_size_; }

 private:
  std::size_t stack_size_;
  std::vector<std::unique_ptr<Stack>> stacks_;
};

}  // namespace fsmc
