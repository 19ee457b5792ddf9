// validate() is the model's gate: every scenario it rejects names the path
// at fault, and build_program refuses it instead of indexing past the file.
#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>

#include "model/validate.hpp"
#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

struct Broken {
  const char* what;
  std::function<void(Scenario&)> change;
  std::string path;     // of the first error
  std::string message;  // part of it
};

}  // namespace

TEST_CASE("validate accepts the seed race on every kernel and build_program builds it") {
  for (const KernelInfo& k : kernel_table()) {
    Scenario s = seed_race(k.name);
    CHECK(validate(s).empty());
    CHECK_NOTHROW(build_program(s));
  }
}

TEST_CASE("each broken scenario gets an error at its path, and build_program refuses it") {
  const Broken cases[] = {
      {"unknown kernel", [](Scenario& s) { s.kernel = "v6.3"; }, "kernel", "unknown kernel \"v6.3\""},
      {"unknown fix", [](Scenario& s) { s.fixes["made_up"] = true; }, "fixes.made_up", "unknown fix"},
      {"no pages", [](Scenario& s) { s.file.size = s.file.pages = 0; }, "file.pages", "at least one page"},
      {"too many pages", [](Scenario& s) { s.file.pages = 65; }, "file.pages", "from 1 to 64, got 65"},
      {"size over pages", [](Scenario& s) { s.file.size = 3; }, "file.size", "at most file.pages (2), got 3"},
      {"extents past pages", [](Scenario& s) { s.file.extents.assign(3, ExtentState::written); }, "file.extents",
       "expected 0 to 2 extent states, got 3"},
      {"cache past pages", [](Scenario& s) { s.file.cache.assign(3, CacheState::clean); }, "file.cache",
       "expected 0 to 2 cache states, got 3"},
      {"dirty over a hole",
       [](Scenario& s) {
         s.file.extents = {ExtentState::written, ExtentState::hole};
         s.file.cache = {CacheState::clean, CacheState::dirty};
       },
       "file.cache[1]", "a dirty page must lie over"},
      {"delalloc without a dirty page", [](Scenario& s) { s.file.extents = {ExtentState::delalloc}; }, "file.extents[0]",
       "needs a dirty page over it"},
      {"cached beyond size",
       [](Scenario& s) {
         s.file.size = 1;
         s.file.cache = {CacheState::absent, CacheState::clean};
       },
       "file.cache[1]", "expected \"absent\" beyond file.size (1)"},
      {"no threads", [](Scenario& s) { s.threads.clear(); }, "threads", "expected 1 to 16 threads, got 0"},
      {"17 threads",
       [](Scenario& s) {
         for (int i = 0; s.threads.size() < 17; ++i) s.threads.push_back({"t" + std::to_string(i), {}});
       },
       "threads", "got 17"},
      {"65 ops", [](Scenario& s) { s.threads[2].ops.assign(65, plain_op("fsync")); }, "threads[2].ops",
       "expected 0 to 64 operations, got 65"},
      {"two threads of one name", [](Scenario& s) { s.threads[1].name = "writer"; }, "threads[1].name",
       "no other thread has"},
      {"unknown op", [](Scenario& s) { s.threads[1].ops[0].op = "teleport"; }, "threads[1].ops[0].op",
       "unknown operation \"teleport\""},
      {"store past the file", [](Scenario& s) { s.threads[1].ops[0].page = 2; }, "threads[1].ops[0].page",
       "expected a page below file.pages (2), got 2"},
      {"a huge page", [](Scenario& s) { s.threads[1].ops[0].page = UINT32_MAX; }, "threads[1].ops[0].page",
       "got 4294967295"},
      {"write past the file", [](Scenario& s) { s.threads[0].ops[0] = write_op(1, 2); }, "threads[0].ops[0].pages",
       "expected the range to end within file.pages (2), got pages 1..2"},
      {"a range wrapping around", [](Scenario& s) { s.threads[0].ops[0] = page_op("punch_hole", 1, UINT32_MAX); },
       "threads[0].ops[0].pages", "expected an integer from 1 to 64"},
      {"no pages in a range", [](Scenario& s) { s.threads[0].ops[0] = page_op("read", 0, 0); }, "threads[0].ops[0].pages",
       "got 0"},
      {"copy over pages", [](Scenario& s) { s.threads[0].ops[0] = write_op(0, 1, 2); }, "threads[0].ops[0].copy",
       "a page count from 0 to 1 (at most pages) or \"any\", got 2"},
      {"byte range past the file", [](Scenario& s) { s.threads[0].ops[0] = byte_write_op(4096, 8192); },
       "threads[0].ops[0].length", "from 512 to 4096"},
      {"byte offset unaligned", [](Scenario& s) { s.threads[0].ops[0] = byte_write_op(100, 512); },
       "threads[0].ops[0].offset", "a multiple of 512"},
      {"byte offset past the file", [](Scenario& s) { s.threads[0].ops[0] = byte_write_op(8192, 512); },
       "threads[0].ops[0].offset", "got 8192"},
      {"byte copy unaligned", [](Scenario& s) { s.threads[0].ops[0] = byte_write_op(0, 1024, 700); },
       "threads[0].ops[0].copy", "from 0 to 1024 (at most length) or \"any\", got 700"},
      {"failing page past the file", [](Scenario& s) { s.threads[2].ops[0] = failing_writeback_op(2); },
       "threads[2].ops[0].fail", "expected a page below file.pages (2) or \"any\", got 2"},
      {"truncate past the file", [](Scenario& s) { s.threads[2].ops[0] = truncate_op(3); }, "threads[2].ops[0].size",
       "from 0 to file.pages (2), got 3"},
      {"unknown invariant", [](Scenario& s) { s.check = {"dirty_backd"}; }, "check[0]", "unknown invariant"},
  };
  for (const Broken& c : cases) {
    CAPTURE(c.what);
    Scenario s = seed_race("v6.1");
    c.change(s);
    std::vector<ValidationError> errors = validate(s);
    REQUIRE(!errors.empty());
    CHECK(errors[0].path == c.path);
    CHECK(errors[0].message.find(c.message) != std::string::npos);
    CHECK_THROWS_AS(build_program(s), std::invalid_argument);
  }
}

TEST_CASE("ops over a file that is itself wrong are not judged against it") {
  Scenario s = seed_race("v6.1");
  s.file.pages = 100;
  s.threads[1].ops[0].page = 90;
  std::vector<ValidationError> errors = validate(s);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == "file.pages");
}
