// Scenario structs for the model tests, built the way scenario files read.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "checker.hpp"
#include "model/program.hpp"

namespace fsmc::model::testing {

// The initial states by name, as a scenario file writes them.
inline constexpr auto hole = ExtentState::hole;
inline constexpr auto delalloc = ExtentState::delalloc;
inline constexpr auto unwritten = ExtentState::unwritten;
inline constexpr auto written = ExtentState::written;
inline constexpr auto absent = CacheState::absent;
inline constexpr auto clean = CacheState::clean;
inline constexpr auto dirty = CacheState::dirty;

inline OpSpec write_op(uint32_t page, uint32_t pages, std::optional<uint32_t> copy = std::nullopt) {
  OpSpec o;
  o.op = "write";
  o.page = page;
  o.pages = pages;
  o.copy = copy;
  return o;
}
// A write by byte range: offset and length in bytes, copy in bytes.
inline OpSpec byte_write_op(uint64_t offset, uint64_t length, std::optional<uint64_t> copy = std::nullopt) {
  OpSpec o;
  o.op = "write";
  o.byte_range = true;
  o.offset = offset;
  o.length = length;
  o.copy = copy;
  return o;
}
inline OpSpec failing_writeback_op(uint32_t fail) {
  OpSpec o;
  o.op = "writeback";
  o.fail = fail;
  return o;
}
inline OpSpec page_op(const char* op, uint32_t page, uint32_t pages = 1) {
  OpSpec o;
  o.op = op;
  o.page = page;
  o.pages = pages;
  return o;
}
inline OpSpec plain_op(const char* op) {
  OpSpec o;
  o.op = op;
  return o;
}
inline OpSpec truncate_op(uint32_t size) {
  OpSpec o;
  o.op = "truncate";
  o.size = size;
  return o;
}

// The seed race (docs/kernel-steps.md, "The seed race"): i_size 2, a one-page write at page 1
// whose copy faults at once, an mmap store to page 1, a writeback pass.
inline Scenario seed_race(const std::string& kernel) {
  Scenario s;
  s.name = "seed";
  s.kernel = kernel;
  s.file.size = 2;
  s.file.pages = 2;
  s.threads = {{"writer", {write_op(1, 1, 0)}}, {"mapper", {page_op("mmap_write", 1)}}, {"flusher", {plain_op("writeback")}}};
  return s;
}

inline SearchResult check(const Scenario& s, std::vector<std::string> invariants, StrategyKind k = StrategyKind::automatic,
                          bool keep_going = true) {
  Executor e(build_program(s));
  SearchConfig c;
  c.strategy = k;
  c.check = std::move(invariants);
  c.keep_going = keep_going;
  return search(e, c);
}

inline std::vector<std::string> violated(const SearchResult& r) {
  std::vector<std::string> out;
  for (const Counterexample& c : r.counterexamples) out.push_back(c.violation.invariant);
  std::sort(out.begin(), out.end());
  return out;
}

// A file of `size` pages in `pages` slots, with its initial extents and cache.
inline Scenario file(uint32_t size, uint32_t pages, std::vector<ExtentState> extents = {},
                     std::vector<CacheState> cache = {}, const char* kernel = "v6.2") {
  Scenario s;
  s.kernel = kernel;
  s.file.size = size;
  s.file.pages = pages;
  s.file.extents = std::move(extents);
  s.file.cache = std::move(cache);
  return s;
}

// One thread's run: the inode at its end and the invariants it violated
// (every invariant checked to the end).
struct Alone {
  Inode ip;
  std::vector<std::string> violated;
};

// Runs a one-thread scenario. I/O completion workers may run at any point
// after a submission, but one thread's ops must end in one state whichever
// order they take: every execution's end state is checked against the first.
inline Alone run_alone(Scenario s, std::vector<OpSpec> ops) {
  s.name = "sequential";
  s.threads = {{"t", std::move(ops)}};
  Alone run;
  int executions = 0;
  Executor e(build_program(s, [&](const Inode& ip) {
    if (executions++ == 0) run.ip = ip;
    else CHECK(hash_state(ip) == hash_state(run.ip));
  }));
  SearchConfig c;
  c.strategy = StrategyKind::dfs;
  c.keep_going = true;
  run.violated = violated(search(e, c));
  CHECK(executions >= 1);
  return run;
}

}  // namespace fsmc::model::testing
