// The operations a scenario thread runs: each op's name, its fields and the
// rule each field's value follows, and the model function that runs it. The
// scenario reader, validate(), `fsmc list ops`, `fsmc --help` and the model
// program all read this one table.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model/inode.hpp"
#include "model/scenario.hpp"

namespace fsmc::model {

// What a field's value must be (validate checks it; expected() words it).
enum class Rule : uint8_t {
  page,        // a page below file.pages
  page_count,  // 1 to 64 pages, the range [page, page + pages) within file.pages
  copy,        // up to the op's pages (bytes, in a byte range: up to length, a multiple of 512)
  first_byte,  // a multiple of 512 inside file.pages
  byte_count,  // a multiple of 512 from 512, ending inside file.pages
  flag,        // true or false
  fail_page,   // a page below file.pages
  new_size,    // 0 to file.pages pages
  file_size,   // file.size: 0 to 64 pages
  file_pages,  // file.pages: 1 to 64 pages
  free_blocks, // file.free_blocks: a 32-bit count
};

enum class FieldType : uint8_t { integer, boolean };

// write takes page and pages, or offset and length (a byte range); a field
// of one form may not appear beside one of the other.
enum class Form : uint8_t { either, pages, bytes };

// A field's value as the scenario gives it: "any", or a number (0 or 1 for a boolean).
struct FieldValue {
  bool any = false;
  uint64_t number = 0;
};

struct OpField {
  const char* name;
  FieldType type;
  Rule rule;
  bool any;             // "any" accepted: every value is explored
  bool required;        // within its form
  Form form;
  const char* absent;   // what leaving it out means, in words, for the help and the docs
  void (*set)(OpSpec&, FieldValue);
};

// Pages [first, end).
struct PageRange {
  uint32_t first = 0, end = 0;
};

struct OpInfo {
  const char* name;
  const char* description;
  std::span<const OpField> fields;  // besides "op"
  void (*run)(Ctx&, const OpSpec&, Data tag);
  // The pages whose writeback the op may start, in a file of `pages` pages
  // (empty: none); I/O completion workers serve them (build_program).
  PageRange (*writes_back)(const OpSpec&, uint32_t pages);
};

std::span<const OpInfo> op_table();
const OpInfo* find_op(std::string_view name);

// The largest value an integer field can hold: beyond it a reader must
// refuse the value rather than store it cut short.
inline constexpr uint64_t max_field_value = UINT32_MAX;

// What a value under `rule` must be, in words ("a page below file.pages (4)"),
// given the file and the op's other fields; without "any", which the caller
// adds for the fields that take it.
std::string expected(Rule rule, const FileSpec& file, const OpSpec& op);
std::string expected(const OpField& field, const FileSpec& file, const OpSpec& op);

// The field's type, range and default in one line, for `fsmc list ops` and `fsmc --help`.
std::string field_summary(const OpField& field);

}  // namespace fsmc::model
