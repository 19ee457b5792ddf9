// fsmc-bench: prints the fiber floor and the engine's costs, measured in the
// same process so their ratios are meaningful on a noisy machine.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "benches.hpp"

using namespace fsmc::bench;

namespace {

struct Row {
  const char* key;
  const char* what;
  Figure figure;
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: fsmc-bench [--json] [--repetitions N] [--target-ms MS]\n"
               "  --json           one JSON object instead of the table\n"
               "  --repetitions N  repetitions per figure, the median is reported (default 9)\n"
               "  --target-ms MS   least CPU time of one repetition (default 20)\n");
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") {
      json = true;
    } else if (a == "--repetitions" && i + 1 < argc) {
      settings.repetitions = std::atoi(argv[++i]);
    } else if (a == "--target-ms" && i + 1 < argc) {
      settings.target_ms = std::atof(argv[++i]);
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else {
      usage(stderr);
      return 2;
    }
  }
  if (settings.repetitions < 1 || settings.target_ms <= 0) {
    usage(stderr);
    return 2;
  }

  FiberFigures f = bench_fibers(settings);
  EngineFigures e = bench_engine(settings);
  double executions_per_s = 1e9 / e.execution_3x20.ns;

  std::vector<Row> rows = {
      {"fiber_roundtrip_ns", "bare fiber resume + yield (the floor)", f.roundtrip},
      {"fiber_create_run_destroy_ns", "bare fiber created, run to its end, pooled stack", f.create_run_destroy},
      {"fresh_stack_ns", "the same on a freshly mapped stack", f.fresh_stack},
      {"abandon_ns", "retire a suspended fiber: abandon (the engine)", f.abandon},
      {"unwind_ns", "retire a suspended fiber: destroy (forced unwind)", f.unwind},
      {"unwind_shallow_ns", "the same, suspended 1 frame deep", f.unwind_shallow},
      {"step_ns", "engine: one scheduled step, 1 thread", e.step},
      {"step_two_threads_ns", "engine: one scheduled step, 2 threads in turn", e.step_two_threads},
      {"execution_ns", "engine: one execution, 3 threads x 20 steps, search(dfs)", e.execution_3x20},
      {"execution_setup_ns", "engine: one execution, 3 threads x 0 steps", e.setup},
      {"execution_3x1_ns", "engine: one execution, 3 threads x 1 step", e.execution_3x1},
      {"early_end_ns", "engine: the same ended by a violation, 2 threads suspended", e.early_end},
  };

  if (json) {
    nlohmann::json out;
    nlohmann::json detail;
    for (const Row& r : rows) {
      out[r.key] = r.figure.ns;
      detail[r.key] = {{"min_ns", r.figure.min_ns}, {"max_ns", r.figure.max_ns}, {"iterations", r.figure.iterations}};
    }
    out["executions_per_s"] = executions_per_s;
    out["step_over_roundtrip"] = e.step.ns / f.roundtrip.ns;
    out["step_over_roundtrip_min"] = e.step.min_ns / f.roundtrip.min_ns;
    out["repetitions"] = settings.repetitions;
    out["stack_size"] = stack_size;
    out["suspend_depth"] = suspend_depth;
    out["step_run_length"] = step_run_length;
    out["detail"] = detail;
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }

  std::printf("fsmc-bench: median of %d repetitions of at least %g ms CPU time; %zu KiB stacks\n", settings.repetitions,
              settings.target_ms, stack_size / 1024);
  std::printf("%-28s %11s %11s %11s %10s  %s\n", "figure", "median", "min", "max", "iterations", "what");
  for (const Row& r : rows)
    std::printf("%-28s %11.1f %11.1f %11.1f %10llu  %s\n", r.key, r.figure.ns, r.figure.min_ns, r.figure.max_ns,
                static_cast<unsigned long long>(r.figure.iterations), r.what);
  std::printf("\nexecutions_per_s  %.0f  (3 threads x 20 steps, plain DFS, one core)\n", executions_per_s);
  // On a shared machine the minima are the least disturbed figures; both ratios are shown.
  std::printf("step / roundtrip  %.2f medians, %.2f minima  (target: at most 3)\n", e.step.ns / f.roundtrip.ns,
              e.step.min_ns / f.roundtrip.min_ns);
  std::printf("unwind / abandon  %.0f  (retiring a suspended fiber, %d frames deep)\n", f.unwind.ns / f.abandon.ns,
              suspend_depth);
  return 0;
}
