// Asynchronous I/O completion: which steps submit an ioend (WB8), when the
// completion workers may run (IC1) and who waits for them (WB9).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "scenarios.hpp"
#include "search/dfs.hpp"
#include "search/recorder.hpp"

using namespace fsmc;
using namespace fsmc::model;
using namespace fsmc::model::testing;

namespace {

// Every execution of the scenario under plain DFS, each as its steps
// "thread:point" in order.
std::vector<std::vector<std::string>> every_execution(Scenario s) {
  s.name = "io";
  Executor e(build_program(s));
  Dfs dfs;
  Recorder recorded(dfs);
  std::vector<std::vector<std::string>> out;
  while (recorded.next_execution()) {
    CHECK(e.run(recorded, {}).violations.empty());
    std::vector<std::string>& steps = out.emplace_back();
    for (const Event& ev : recorded.events()) steps.push_back(e.thread_names()[ev.thread] + ":" + ev.op.point);
  }
  return out;
}

Scenario one_thread(Scenario s, std::vector<OpSpec> ops) {
  s.threads = {{"t", std::move(ops)}};
  return s;
}

int count(const std::vector<std::string>& steps, const std::string& step) {
  return static_cast<int>(std::count(steps.begin(), steps.end(), step));
}

int index_of(const std::vector<std::string>& steps, const std::string& step) {
  auto it = std::find(steps.begin(), steps.end(), step);
  return it == steps.end() ? -1 : static_cast<int>(it - steps.begin());
}

}  // namespace

TEST_CASE("a writeback op returns with its I/O in flight: the completion may run after any later step") {
  // t: writeback of page 0, then a read(2) of it. The worker's IC1 goes
  // anywhere after the submission (WB8): before each of the read's steps
  // or after the last, so one execution per position.
  auto all = every_execution(one_thread(file(1, 1, {delalloc}, {dirty}), {plain_op("writeback"), page_op("read", 0)}));
  REQUIRE(!all.empty());
  const std::vector<std::string>& last = all.front();  // DFS lets t go on first: the latest completion
  int submitted = index_of(last, "t:WB8");
  REQUIRE(submitted >= 0);
  CHECK(last.back() == "end_io 0:IC1");
  int later_steps = static_cast<int>(last.size()) - submitted - 2;  // t's steps after WB8
  CHECK(later_steps > 0);
  CHECK(static_cast<int>(all.size()) == later_steps + 1);
  for (const auto& steps : all) CHECK(index_of(steps, "end_io 0:IC1") > index_of(steps, "t:WB8"));
}

TEST_CASE("fsync waits for its I/O: the completion runs between submission and the wait, once") {
  auto all = every_execution(one_thread(file(1, 1, {delalloc}, {dirty}), {plain_op("fsync"), page_op("read", 0)}));
  REQUIRE(all.size() == 1);
  const std::vector<std::string>& steps = all[0];
  CHECK(index_of(steps, "t:WB8") < index_of(steps, "end_io 0:IC1"));
  CHECK(index_of(steps, "end_io 0:IC1") < index_of(steps, "t:WB9"));
}

TEST_CASE("contiguous blocks of one type share an ioend, a gap or another type starts a new one") {
  auto submissions = [](std::vector<ExtentState> extents, std::vector<CacheState> cache) {
    auto all = every_execution(one_thread(file(3, 3, std::move(extents), std::move(cache)), {plain_op("writeback")}));
    REQUIRE(!all.empty());
    return count(all[0], "t:WB8");
  };
  CHECK(submissions({written, written, written}, {dirty, dirty, dirty}) == 1);
  CHECK(submissions({written, written, written}, {dirty, clean, dirty}) == 2);   // page 1 is not written
  CHECK(submissions({written, delalloc, written}, {dirty, dirty, dirty}) == 3);  // written, unwritten, written
}

TEST_CASE("one worker per page written back, dealt round-robin past the thread limit") {
  Scenario s = file(20, 20);
  s.threads = {{"flusher", {plain_op("writeback")}}};
  std::vector<std::string> names = program_thread_names(s);
  REQUIRE(names.size() == 21);
  CHECK(names[1] == "end_io 0");
  CHECK(names[20] == "end_io 19");
  for (int t = 1; t < 16; ++t) s.threads.push_back({"idle " + std::to_string(t), {}});
  names = program_thread_names(s);
  REQUIRE(names.size() == max_threads);
  CHECK(names[16] == "end_io 0,16");
  CHECK(names[19] == "end_io 3,19");
  CHECK(names[20] == "end_io 4");
  // Only the pages some op can write back get a worker; none when no op does.
  s = file(4, 4);
  s.threads = {{"puncher", {page_op("punch_hole", 1, 2)}}, {"writer", {write_op(0, 4)}}};
  CHECK(program_thread_names(s) == std::vector<std::string>{"puncher", "writer", "end_io 1", "end_io 2"});
  s.threads = {{"writer", {write_op(0, 4)}}};
  CHECK(program_thread_names(s) == std::vector<std::string>{"writer"});
  // A worker's name never takes a scenario thread's.
  s.threads = {{"end_io 0", {plain_op("fsync")}}};
  CHECK(program_thread_names(s)[1] == "end_io 0'");
}

TEST_CASE("a worker serving two pages completes them in either order") {
  Scenario s = file(17, 17, {}, {});
  s.file.extents.assign(17, written);
  s.file.cache.assign(17, clean);
  s.file.cache[0] = s.file.cache[16] = dirty;
  s.threads = {{"flusher", {plain_op("writeback")}}};
  for (int t = 1; t < 16; ++t) s.threads.push_back({"idle " + std::to_string(t), {}});
  REQUIRE(program_thread_names(s)[16] == "end_io 0,16");
  // Page 0's ioend is submitted when page 16 cannot join it, page 16's at
  // the end: the worker completes page 0 at once, or waits and chooses.
  auto all = every_execution(s);
  int chose = 0;
  // One IC1 step per page, or for the first of two in flight: the wait, the choice and the completion.
  for (const auto& steps : all) chose += count(steps, "end_io 0,16:IC1") == 4;
  CHECK(chose > 0);
  CHECK(chose < static_cast<int>(all.size()));
}
