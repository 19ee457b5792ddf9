// fsmc show fits its table to the line width (--width, COLUMNS, else 80 off
// a terminal) and breaks cells between identifiers, never inside one.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "fsmc_process.hpp"

using namespace cli_test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; start = nl + 1, nl = text.find('\n', start))
    lines.push_back(text.substr(start, nl - start));
  return lines;
}

// Characters on the terminal: an ellipsis is one.
std::size_t columns(const std::string& line) {
  return std::count_if(line.begin(), line.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; });
}

// The widest line of the table (the message and the state below it are prose).
std::size_t widest_row(const std::string& text) {
  std::size_t widest = 0;
  for (const std::string& line : lines_of(text))
    if (line.find('|') != std::string::npos) widest = std::max(widest, columns(line));
  return widest;
}

fs::path seed_trace(const std::string& name) {
  fs::path out = fresh_dir(name);
  REQUIRE(fsmc("run scenarios/xfs/seed-race-v6.1.json --out " + out.string()).exit == 1);
  return out / "seed-race-v6.1.dirty_backed.json";
}

}  // namespace

TEST_CASE("show fits --width, COLUMNS, or 80 columns when stdout is no terminal") {
  fs::path trace = seed_trace("width");
  Result plain = fsmc("show " + trace.string());
  REQUIRE(plain.exit == 0);
  CHECK(widest_row(plain.out) <= 80);
  CHECK(widest_row(plain.out) >= 70);  // the columns take the width they are given
  Result wide = fsmc("show --width 150 " + trace.string());
  CHECK(widest_row(wide.out) <= 150);
  CHECK(widest_row(wide.out) >= 140);
  Result env = shell("COLUMNS=100 " FSMC_BINARY " show " + trace.string());
  CHECK(widest_row(env.out) <= 100);
  CHECK(widest_row(env.out) >= 90);
  CHECK(fsmc("show --width 39 " + trace.string()).exit == 2);
  CHECK(fsmc("show --width 100 --html x.html " + trace.string()).exit == 2);
}

TEST_CASE("show wraps between identifiers and cuts with an ellipsis only an identifier wider than its column") {
  fs::path trace = seed_trace("wrap");
  // 150 wide: columns of 44; every identifier is whole.
  Result wide = fsmc("show --width 150 " + trace.string());
  CHECK(wide.out.find("xfs_bmap_punch_delalloc_range E6") != std::string::npos);
  CHECK(wide.out.find("\u2026") == std::string::npos);
  // 60 wide: columns of 14. filemap_fault (13) stays whole, the longer
  // names end in an ellipsis, and no cell holds a piece of an identifier
  // without one.
  Result narrow = fsmc("show --width 60 " + trace.string());
  CHECK(widest_row(narrow.out) <= 60);
  CHECK(narrow.out.find("| filemap_fault ") != std::string::npos);
  CHECK(narrow.out.find("| xfs_bmap_punc\u2026 ") != std::string::npos);
  for (const std::string& line : lines_of(narrow.out))
    for (const char* piece : {"| xfs_bmap_punch_delal", "| iomap_read_fo "})
      CHECK_MESSAGE(line.find(piece) == std::string::npos, line);
  // The detail "hole -> delalloc for pages 1..1," breaks at its spaces.
  CHECK(narrow.out.find("delalloc for") != std::string::npos);
}
