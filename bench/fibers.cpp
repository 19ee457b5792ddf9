// The floor: what Boost.Context itself costs on the stacks fsmc uses.
#include <algorithm>
#include <memory>
#include <new>
#include <vector>

#include <boost/context/fiber.hpp>

#include "benches.hpp"
#include "checker.hpp"

namespace fsmc::bench {

namespace {

namespace ctx = boost::context;

// A Boost.Context stack allocator handing out a pooled stack and freeing nothing.
struct SlotStack {
  Stack* stack;
  ctx::stack_context allocate() { return stack->context(); }
  void deallocate(ctx::stack_context&) noexcept {}
};

// Retiring a suspended fiber as the engine does (it drops the suspended
// context): move the handle into storage that is never destroyed, so ~fiber
// never runs.
void abandon(ctx::fiber&& f) {
  alignas(ctx::fiber) unsigned char sink[sizeof(ctx::fiber)];
  new (sink) ctx::fiber(std::move(f));
}

// Suspends `depth` frames below its first caller. The addition after the
// call keeps the compiler from turning the recursion into a loop, so the
// unwinder really has that many frames to walk.
[[gnu::noinline]] int suspend_at(ctx::fiber& back, int depth) {
  if (depth > 1) return 1 + suspend_at(back, depth - 1);
  back = std::move(back).resume();
  return 0;
}

ctx::fiber suspended_fiber(Stack& stack, int depth) {
  ctx::fiber f(std::allocator_arg, SlotStack{&stack}, [depth](ctx::fiber&& back) {
    suspend_at(back, depth);
    return std::move(back);
  });
  return std::move(f).resume();
}

double roundtrips(Stack& stack, uint64_t n) {
  ctx::fiber f(std::allocator_arg, SlotStack{&stack}, [n](ctx::fiber&& back) {
    for (uint64_t i = 0; i < n; ++i) back = std::move(back).resume();
    return std::move(back);
  });
  f = std::move(f).resume();  // started and parked at its first yield, untimed
  return cpu_ns([&] {
    for (uint64_t i = 0; i < n; ++i) f = std::move(f).resume();
  });
}

double create_run_destroy(Stack& stack, uint64_t n) {
  return cpu_ns([&] {
    for (uint64_t i = 0; i < n; ++i) {
      ctx::fiber f(std::allocator_arg, SlotStack{&stack}, [](ctx::fiber&& back) { return std::move(back); });
      f = std::move(f).resume();
    }
  });
}

double fresh_stack(uint64_t n) {
  return cpu_ns([&] {
    for (uint64_t i = 0; i < n; ++i) {
      Stack stack(stack_size);
      ctx::fiber f(std::allocator_arg, SlotStack{&stack}, [](ctx::fiber&& back) { return std::move(back); });
      f = std::move(f).resume();
    }
  });
}

// Suspends a batch of fibers (untimed), then times only their retirement,
// on the wall clock: a window is a few hundred nanoseconds for abandoning,
// and 256 fibers per window keep the clock's own cost under a nanosecond per
// fiber. A window the kernel happens to preempt shows up in one repetition,
// which the median then leaves out.
struct RetireBench {
  static constexpr std::size_t batch = 256;
  std::vector<std::unique_ptr<Stack>> stacks;
  std::vector<ctx::fiber> fibers = std::vector<ctx::fiber>(batch);

  RetireBench() {
    for (std::size_t i = 0; i < batch; ++i) stacks.push_back(std::make_unique<Stack>(stack_size));
  }

  double run(uint64_t n, int depth, bool unwind) {
    double ns = 0;
    for (uint64_t done = 0; done < n;) {
      std::size_t k = static_cast<std::size_t>(std::min<uint64_t>(batch, n - done));
      for (std::size_t i = 0; i < k; ++i) fibers[i] = suspended_fiber(*stacks[i], depth);
      auto start = WallClock::now();
      if (unwind) {
        for (std::size_t i = 0; i < k; ++i) ctx::fiber dead = std::move(fibers[i]);
      } else {
        for (std::size_t i = 0; i < k; ++i) abandon(std::move(fibers[i]));
      }
      ns += wall_ns_since(start);
      done += k;
    }
    return ns;
  }
};

}  // namespace

FiberFigures bench_fibers(const Settings& settings) {
  Stack stack(stack_size);
  RetireBench retire;
  FiberFigures f;
  f.roundtrip = measure(settings, [&](uint64_t n) { return roundtrips(stack, n); });
  f.create_run_destroy = measure(settings, [&](uint64_t n) { return create_run_destroy(stack, n); });
  f.fresh_stack = measure(settings, fresh_stack);
  f.abandon = measure(settings, [&](uint64_t n) { return retire.run(n, suspend_depth, false); });
  f.unwind = measure(settings, [&](uint64_t n) { return retire.run(n, suspend_depth, true); });
  f.unwind_shallow = measure(settings, [&](uint64_t n) { return retire.run(n, 1, true); });
  return f;
}

}  // namespace fsmc::bench
