// The two families of measurements fsmc-bench reports.
#pragma once

#include "measure.hpp"

namespace fsmc::bench {

// The engine's default fiber stack (ExecutorOptions::stack_size), used for
// the bare fibers too so that both sides touch the same kind of memory.
inline constexpr std::size_t stack_size = 64 * 1024;

// Bare boost::context::fiber on fsmc's pooled stacks: the floor.
struct FiberFigures {
  Figure roundtrip;           // resume + yield back
  Figure create_run_destroy;  // a fiber that runs to its end on a pooled stack
  Figure fresh_stack;         // the same on a freshly mapped stack (map, guard, run, unmap)
  Figure abandon;             // retiring a suspended fiber by dropping its handle
  Figure unwind;              // retiring it by destroying it (forced unwind)
  Figure unwind_shallow;      // the same, suspended one frame deep
};
// Frames between a fiber's entry and its suspension in the retire figures:
// about what lies between a model thread's body and Thread::step.
inline constexpr int suspend_depth = 6;
FiberFigures bench_fibers(const Settings& settings);

// The engine through its public interface.
struct EngineFigures {
  Figure step;             // marginal cost of one scheduled step, one thread
  Figure step_two_threads; // the same, two threads taking turns
  Figure execution_3x20;   // one execution of 3 threads x 20 steps under search(dfs)
  Figure setup;            // one execution of 3 threads with no step
  Figure execution_3x1;    // one execution of 3 threads with one step each
  Figure early_end;        // 3 threads, one step each, then a violation leaves 2 suspended
};
inline constexpr int step_run_length = 1000;  // steps per execution in the step figures
EngineFigures bench_engine(const Settings& settings);

}  // namespace fsmc::bench
