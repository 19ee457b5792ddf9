// Sequential semantics of zeroing, byte-range writes, short copies inside a
// page and the writeback error path: one thread, the final state checked
// field by field.
#include <doctest/doctest.h>

#include "model/invariants.hpp"
#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

constexpr Data T = initial_data + 1;  // the data of the scenario's first op
constexpr Data I = initial_data;
constexpr Data Z = zeros;

const std::vector<std::string> none;

}  // namespace

TEST_CASE("truncate-up zeroes delalloc beyond EOF through the page cache and keeps the blocks") {
  Alone r = run_alone(file(1, 3, {written, delalloc, delalloc}, {clean}), {truncate_op(3)});
  CHECK(r.violated == none);
  CHECK(r.ip.i_size == 3 * page_size);
  CHECK(r.ip.i_df == std::vector<ExtentState>{written, delalloc, delalloc});
  CHECK(r.ip.i_delayed_blks == 2);
  for (uint32_t p : {1u, 2u}) {
    CHECK(r.ip.cache[p].dirty);
    CHECK(r.ip.cache[p].uptodate);
    CHECK(r.ip.cache[p].data == filled(Z));
    CHECK(r.ip.promised[p].data == filled(Z));
  }
}

TEST_CASE("truncate-up skips holes and unwritten blocks and frees nothing beyond the new size") {
  Alone r = run_alone(file(1, 4, {written, hole, unwritten, delalloc}, {clean}), {truncate_op(3)});
  CHECK(r.violated == none);
  CHECK(r.ip.i_size == 3 * page_size);
  CHECK(r.ip.i_df == std::vector<ExtentState>{written, hole, unwritten, delalloc});
  CHECK(r.ip.i_delayed_blks == 1);
  CHECK_FALSE(r.ip.cache[1].present);
  CHECK_FALSE(r.ip.cache[2].present);
  CHECK_FALSE(r.ip.cache[3].present);
}

TEST_CASE("truncate-up zeroes a written block beyond EOF, and the sync writes the zeros") {
  Alone r = run_alone(file(1, 2, {written, written}, {clean}), {truncate_op(2), plain_op("fsync")});
  CHECK(r.violated == none);
  CHECK(r.ip.disk[0] == filled(I));
  CHECK(r.ip.disk[1] == filled(Z));
  CHECK_FALSE(r.ip.cache[1].dirty);
}

TEST_CASE("an extending write zeroes delalloc in the gap between EOF and its start") {
  Alone r = run_alone(file(1, 3, {written, delalloc, hole}, {clean}), {write_op(2, 1)});
  CHECK(r.violated == none);
  CHECK(r.ip.i_size == 3 * page_size);
  CHECK(r.ip.cache[1].dirty);
  CHECK(r.ip.cache[1].data == filled(Z));
  CHECK(r.ip.cache[2].data == filled(T));
  CHECK(r.ip.i_df == std::vector<ExtentState>{written, delalloc, delalloc});
}

TEST_CASE("a byte-range write into a hole zeroes the rest of the new folio and sets i_size in bytes") {
  Alone r = run_alone(file(0, 1), {byte_write_op(512, 1024)});
  CHECK(r.violated == none);
  CHECK(r.ip.i_size == 1536);
  CHECK(r.ip.size_pages() == 1);
  CHECK(r.ip.cache[0].data == Sectors{Z, T, T, Z, Z, Z, Z, Z});
  CHECK(r.ip.cache[0].uptodate);
  CHECK(r.ip.cache[0].dirty);
  CHECK(r.ip.i_df[0] == delalloc);
}

TEST_CASE("a byte-range write over a written block reads the sectors it does not write") {
  Alone r = run_alone(file(1, 1, {written}), {byte_write_op(1024, 512), plain_op("fsync")});
  CHECK(r.violated == none);
  CHECK(r.ip.cache[0].data == Sectors{I, I, T, I, I, I, I, I});
  CHECK(r.ip.disk[0] == Sectors{I, I, T, I, I, I, I, I});
  CHECK(r.ip.i_size == page_size);
}

TEST_CASE("a byte-range write over an unwritten block zeroes the sectors it does not write") {
  Alone r = run_alone(file(1, 1, {unwritten}), {byte_write_op(0, 512)});
  CHECK(r.violated == none);
  CHECK(r.ip.cache[0].data == Sectors{T, Z, Z, Z, Z, Z, Z, Z});
}

TEST_CASE("a short copy into a new folio commits nothing, then the copied part after reading the rest") {
  Alone r = run_alone(file(1, 1, {written}), {byte_write_op(0, page_size, 1024)});
  CHECK(r.violated == none);
  CHECK(r.ip.cache[0].data == Sectors{T, T, I, I, I, I, I, I});
  CHECK(r.ip.promised[0].data == Sectors{T, T, I, I, I, I, I, I});
  CHECK(r.ip.cache[0].dirty);
  CHECK(r.ip.i_size == page_size);
}

TEST_CASE("a short copy into an uptodate folio commits the part copied") {
  Alone r = run_alone(file(1, 2, {written}, {clean}), {byte_write_op(2048, 4096, 1536)});
  CHECK(r.violated == none);
  CHECK(r.ip.cache[0].data == Sectors{I, I, I, I, T, T, T, I});
  CHECK(r.ip.i_size == page_size);  // the copy ended inside EOF
  CHECK_FALSE(r.ip.cache[1].present);
  CHECK(r.ip.i_df == std::vector<ExtentState>{written, hole});  // the fault came before page 1
  CHECK(r.ip.i_delayed_blks == 0);
}

TEST_CASE("writeback zeroes the part of a folio beyond EOF before writing it") {
  Alone r = run_alone(file(0, 1), {byte_write_op(0, 512), plain_op("fsync")});
  CHECK(r.violated == none);
  CHECK(r.ip.disk[0] == Sectors{T, Z, Z, Z, Z, Z, Z, Z});
  CHECK(r.ip.i_df[0] == written);
}

TEST_CASE("a mapping error at the first page: each variant's xfs_discard_folio") {
  auto failing = [](const char* kernel) {
    return run_alone(file(3, 3, {delalloc, delalloc, delalloc}, {dirty, dirty, dirty}, kernel), {failing_writeback_op(0)});
  };
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2+8ac5b996"}) {
    CAPTURE(kernel);
    Alone r = failing(kernel);
    // The folio's own block is punched; the rest is converted and written.
    CHECK(r.violated == none);
    CHECK(r.ip.i_df == std::vector<ExtentState>{hole, written, written});
    CHECK(r.ip.i_delayed_blks == 0);
    CHECK_FALSE(r.ip.cache[0].dirty);
    CHECK(r.ip.cache[0].present);
    CHECK(r.ip.promised[0].any);
    CHECK(r.ip.disk[1] == filled(I));
  }
  // v6.2: the empty range [0, 0) punches every delalloc block up to the end
  // of the last extent, under the other dirty pages (S5).
  Alone r = failing("v6.2");
  CHECK(r.violated == std::vector<std::string>{"dirty_backed", "no_lost_data"});
  CHECK(r.ip.i_df == std::vector<ExtentState>{hole, hole, hole});
  CHECK(r.ip.i_delayed_blks == 0);
}

TEST_CASE("a mapping error past the first page: v6.2's empty range punches nothing and orphans the block") {
  OpSpec wb = failing_writeback_op(1);
  wb.ranged = true;
  wb.page = 1;
  wb.pages = 1;
  Alone v62 = run_alone(file(2, 2, {delalloc, delalloc}, {dirty, dirty}, "v6.2"), {wb});
  CHECK(v62.ip.i_df == std::vector<ExtentState>{delalloc, delalloc});
  CHECK_FALSE(v62.ip.cache[1].dirty);
  CHECK(v62.violated == std::vector<std::string>{"reservations"});
  Alone fixed = run_alone(file(2, 2, {delalloc, delalloc}, {dirty, dirty}, "v6.2+8ac5b996"), {wb});
  CHECK(fixed.violated == none);
  CHECK(fixed.ip.i_df == std::vector<ExtentState>{delalloc, hole});
  CHECK(fixed.ip.i_delayed_blks == 1);
}

namespace {
uint64_t executions(const Scenario& s) {
  Executor e(build_program(s));
  SearchConfig c;
  c.strategy = StrategyKind::dfs;
  c.keep_going = true;
  return search(e, c).stats.executions;
}
}  // namespace

TEST_CASE("copy any on a byte-range write explores each sector boundary, fail any each page, and none") {
  Scenario s = file(0, 1, {}, {}, "v6.1");
  s.name = "choices";
  OpSpec w = byte_write_op(0, 2048);
  w.copy_any = true;
  s.threads = {{"t", {w}}};
  CHECK(executions(s) == 4);  // 0, 512, 1024 or 1536 bytes copied
  Scenario f = file(2, 2, {delalloc, delalloc}, {dirty, dirty}, "v6.1");
  f.name = "failures";
  OpSpec wb = plain_op("writeback");
  wb.fail_any = true;
  f.threads = {{"t", {wb}}};
  // Page 0 fails, page 1 fails, or neither; each leaves one ioend to complete after the pass.
  CHECK(executions(f) == 3);
}

TEST_CASE("with free_blocks given, reservations also checks free + reserved + allocated") {
  Scenario s = file(1, 3, {written}, {clean}, "v6.2");
  s.file.free_blocks = 2;
  Alone r = run_alone(s, {write_op(1, 2), plain_op("fsync")});
  CHECK(r.violated == none);
  REQUIRE(r.ip.m_fdblocks);
  CHECK(*r.ip.m_fdblocks == 0);
  CHECK(r.ip.total_blocks == std::optional<uint64_t>{3});
  CHECK_FALSE(reservations(r.ip).has_value());
  *r.ip.m_fdblocks += 1;  // a block freed twice
  REQUIRE(reservations(r.ip).has_value());
  CHECK(reservations(r.ip)->find("differ from the 3 there were") != std::string::npos);
}
