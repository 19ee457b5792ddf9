// Sequential semantics of each kernel path: one thread, and
// the final state checked field by field.
#include <doctest/doctest.h>

#include "model/invariants.hpp"
#include "scenarios.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

// The inode at the end of one thread's ops, which must violate nothing.
Inode run_clean(Scenario s, std::vector<OpSpec> ops) {
  Alone run = run_alone(std::move(s), std::move(ops));
  CHECK(run.violated.empty());
  return run.ip;
}

}  // namespace

TEST_CASE("a buffered write reserves delalloc, dirties the pages and extends i_size") {
  Inode ip = run_clean(file(0, 3), {write_op(0, 2)});
  CHECK(ip.i_size == 2 * page_size);
  CHECK(ip.i_df == std::vector<ExtentState>{delalloc, delalloc, hole});
  CHECK(ip.i_delayed_blks == 2);
  CHECK(ip.cache[0].dirty);
  CHECK(ip.cache[1].dirty);
  CHECK_FALSE(ip.cache[2].present);
  CHECK(ip.cache[0].data == ip.promised[0].data);
  CHECK(ip.cache[0].data != filled(zeros));
}

TEST_CASE("write then writeback gives written extents holding the data, clean pages, no reservation") {
  Inode ip = run_clean(file(0, 2), {write_op(0, 2), plain_op("writeback")});
  CHECK(ip.i_df == std::vector<ExtentState>{written, written});
  CHECK(ip.i_delayed_blks == 0);
  for (uint32_t p = 0; p < 2; ++p) {
    CHECK(ip.cache[p].present);
    CHECK_FALSE(ip.cache[p].dirty);
    CHECK_FALSE(ip.cache[p].writeback);
    CHECK(ip.disk[p] == ip.cache[p].data);
    CHECK(ip.disk[p] == ip.promised[p].data);
  }
}

TEST_CASE("reservations return to zero after fsync") {
  Inode ip = run_clean(file(1, 3), {write_op(1, 2), plain_op("fsync")});
  CHECK(ip.i_delayed_blks == 0);
  CHECK(ip.i_df == std::vector<ExtentState>{hole, written, written});
  CHECK(ip.i_size == 3 * page_size);
}

TEST_CASE("truncate down drops the page cache, the extents and the reservations beyond the new size") {
  Inode ip = run_clean(file(3, 3, {written, delalloc, delalloc}, {clean, dirty, dirty}), {truncate_op(1)});
  CHECK(ip.i_size == 1 * page_size);
  CHECK(ip.i_df == std::vector<ExtentState>{written, hole, hole});
  CHECK(ip.i_delayed_blks == 0);
  CHECK(ip.cache[0].present);
  CHECK_FALSE(ip.cache[1].present);
  CHECK_FALSE(ip.cache[2].present);
  CHECK_FALSE(no_lost_data(ip).has_value());
}

TEST_CASE("punch hole writes the range back, drops its cache and frees its blocks, leaving the rest") {
  Inode ip = run_clean(file(3, 3, {written, delalloc, written}, {clean, dirty, clean}), {page_op("punch_hole", 1)});
  CHECK(ip.i_df == std::vector<ExtentState>{written, hole, written});
  CHECK(ip.i_delayed_blks == 0);
  CHECK(ip.cache[0].present);
  CHECK_FALSE(ip.cache[1].present);
  CHECK(ip.cache[2].present);
  CHECK(ip.promised[1].data == filled(zeros));
  CHECK_FALSE(no_lost_data(ip).has_value());
}

TEST_CASE("a short write keeps what it copied and punches only what it did not") {
  for (const char* kernel : {"v6.1", "v6.1+198dd8ae", "v6.2"}) {
    CAPTURE(kernel);
    Scenario s = file(0, 3);
    s.kernel = kernel;
    Inode ip = run_clean(s, {write_op(0, 3, 1)});
    CHECK(ip.i_size == 1 * page_size);
    CHECK(ip.i_df == std::vector<ExtentState>{delalloc, hole, hole});
    CHECK(ip.i_delayed_blks == 1);
    CHECK(ip.cache[0].dirty);
    CHECK_FALSE(ip.cache[1].present);
  }
}

TEST_CASE("an mmap store into a hole inside EOF reserves delalloc and dirties the page") {
  Inode ip = run_clean(file(2, 2), {page_op("mmap_write", 1)});
  CHECK(ip.i_df[1] == delalloc);
  CHECK(ip.i_delayed_blks == 1);
  CHECK(ip.cache[1].dirty);
  CHECK(ip.cache[1].writable);
  CHECK(ip.cache[1].data == ip.promised[1].data);
}

TEST_CASE("an mmap store beyond EOF gets SIGBUS and changes nothing") {
  Inode ip = run_clean(file(1, 2), {page_op("mmap_write", 1)});
  CHECK_FALSE(ip.cache[1].present);
  CHECK(ip.i_df[1] == hole);
  CHECK(ip.i_delayed_blks == 0);
}

TEST_CASE("writeback write-protects the page, so the next store faults and dirties it again") {
  Inode ip = run_clean(file(1, 1), {page_op("mmap_write", 0), plain_op("writeback"), page_op("mmap_write", 0)});
  CHECK(ip.cache[0].dirty);
  CHECK(ip.cache[0].writable);
  CHECK(ip.i_df[0] == ExtentState::written);
}

TEST_CASE("reclaim evicts a clean folio but never a dirty one") {
  Inode ip = run_clean(file(2, 2, {written, delalloc}, {clean, dirty}), {page_op("reclaim", 0), page_op("reclaim", 1)});
  CHECK_FALSE(ip.cache[0].present);
  CHECK(ip.cache[1].present);
  CHECK(ip.cache[1].dirty);
}

TEST_CASE("a buffered read brings a written block in clean with its data, and a hole as zeros") {
  Inode ip = run_clean(file(2, 2, {written, hole}), {page_op("read", 0, 2)});
  CHECK(ip.cache[0].present);
  CHECK(ip.cache[0].uptodate);
  CHECK_FALSE(ip.cache[0].dirty);
  CHECK(ip.cache[0].data == filled(initial_data));
  CHECK(ip.cache[1].data == filled(zeros));
  CHECK(ip.i_df[1] == hole);
}

TEST_CASE("the invariants flag a dirty page over a hole as unbacked and lost") {
  // Writeback skips a hole silently, so the final sync cannot save the data.
  Inode ip = run_clean(file(1, 1, {written}, {dirty}), {});
  ip.i_df[0] = hole;
  CHECK(dirty_backed(ip).has_value());
  CHECK(no_lost_data(ip).has_value());
}
