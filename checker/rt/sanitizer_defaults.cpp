// Linked into every executable of the sanitizer build (FSMC_SANITIZE): a
// sanitizer report ends the process with exit code 86, which is none of
// fsmc's own (0-3), so a test that expects fsmc to exit 1 ("violation")
// cannot pass over a memory error. The two runtimes share one exit code.
// UBSan is built not to recover; halt_on_error says the same at run time.
// The environment's ASAN_OPTIONS / UBSAN_OPTIONS still override these.
extern "C" const char* __asan_default_options() { return "exitcode=86"; }
extern "C" const char* __ubsan_default_options() { return "halt_on_error=1:exitcode=86:print_stacktrace=1"; }
