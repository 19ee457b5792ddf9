#include "rt/stack_pool.hpp"

#include "rt/asan_fiber.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace fsmc {

static std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

Stack::Stack(std::size_t usable) {
  std::size_t page = page_size();
  usable = (usable + page - 1) / page * page;
  guard_ = page;
  total_ = usable + page;
  base_ = mmap(nullptr, total_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (base_ == MAP_FAILED) throw std::bad_alloc();
  mprotect(base_, page, PROT_NONE);  // overflow faults instead of corrupting memory
}

Stack::~Stack() { munmap(base_, total_); }

boost::context::stack_context Stack::context() const {
  boost::context::stack_context sc;
  sc.size = size();
  sc.sp = static_cast<char*>(base_) + total_;
  asan::forget_frames(bottom(), size());
  return sc;
}

Stack& StackPool::slot(std::size_t i) {
  while (stacks_.size() <= i) stacks_.push_back(std::make_unique<Stack>(stack_size_));
  return *stacks_[i];
}

}  // namespace fsmc
