// The operations of the scenario contract (docs/scenario-format.md,
// "Operations"): their fields, the rules of their values, and what runs them.
#include "model/ops.hpp"

#include "model/names.hpp"
#include "model/paths.hpp"

namespace fsmc::model {

namespace {

using T = FieldType;

constexpr OpField page_field = {"page", T::integer, Rule::page, false, true, Form::either, "required",
                                [](OpSpec& o, FieldValue v) { o.page = static_cast<uint32_t>(v.number); }};
constexpr OpField pages_field = {"pages", T::integer, Rule::page_count, false, false, Form::either, "1",
                                 [](OpSpec& o, FieldValue v) { o.pages = static_cast<uint32_t>(v.number); }};

constexpr OpField write_fields[] = {
    {"page", T::integer, Rule::page, false, true, Form::pages, "required, unless offset and length are given",
     [](OpSpec& o, FieldValue v) { o.page = static_cast<uint32_t>(v.number); }},
    {"pages", T::integer, Rule::page_count, false, false, Form::pages, "1",
     [](OpSpec& o, FieldValue v) { o.pages = static_cast<uint32_t>(v.number); }},
    {"offset", T::integer, Rule::first_byte, false, true, Form::bytes, "required for a byte range, instead of page and pages",
     [](OpSpec& o, FieldValue v) {
       o.byte_range = true;
       o.offset = v.number;
     }},
    {"length", T::integer, Rule::byte_count, false, true, Form::bytes, "required with offset",
     [](OpSpec& o, FieldValue v) {
       o.byte_range = true;
       o.length = v.number;
     }},
    {"copy", T::integer, Rule::copy, true, false, Form::either, "all of it",
     [](OpSpec& o, FieldValue v) {
       if (v.any) o.copy_any = true;
       else o.copy = v.number;
     }},
};
constexpr OpField one_page_fields[] = {page_field};
constexpr OpField range_fields[] = {page_field, pages_field};
constexpr OpField writeback_fields[] = {
    {"page", T::integer, Rule::page, false, false, Form::either, "the whole file, unless pages is given (then 0)",
     [](OpSpec& o, FieldValue v) {
       o.ranged = true;
       o.page = static_cast<uint32_t>(v.number);
     }},
    {"pages", T::integer, Rule::page_count, false, false, Form::either, "the whole file, unless page is given (then 1)",
     [](OpSpec& o, FieldValue v) {
       o.ranged = true;
       o.pages = static_cast<uint32_t>(v.number);
     }},
    {"sync", T::boolean, Rule::flag, false, false, Form::either, "false",
     [](OpSpec& o, FieldValue v) { o.sync = v.number != 0; }},
    {"fail", T::integer, Rule::fail_page, true, false, Form::either, "none, no I/O error",
     [](OpSpec& o, FieldValue v) {
       if (v.any) o.fail_any = true;
       else o.fail = static_cast<uint32_t>(v.number);
     }},
};
constexpr OpField truncate_fields[] = {
    {"size", T::integer, Rule::new_size, false, true, Form::either, "required",
     [](OpSpec& o, FieldValue v) { o.size = static_cast<uint32_t>(v.number); }},
};

void run_write(Ctx& c, const OpSpec& s, Data tag) {
  // A page-range write faults at page boundaries, a byte-range one at sectors.
  uint64_t unit = s.byte_range ? sector_size : page_size;
  uint64_t pos = s.byte_range ? s.offset : s.page * page_size;
  uint64_t count = s.byte_range ? s.length : s.pages * page_size;
  uint32_t units = static_cast<uint32_t>(count / unit);
  uint64_t copy = s.copy_any ? c.t.choose(units, "fault_in_iov_iter_readable", "I2") * unit
                             : s.copy ? *s.copy * (s.byte_range ? 1 : page_size) : count;
  xfs_file_buffered_write(c, pos, count, copy, tag);
}

void run_writeback(Ctx& c, const OpSpec& s, Data) {
  xfs_vm_writepages(c, s.ranged ? s.page : 0, s.ranged ? s.page + s.pages : c.ip.pages(), s.sync, {s.fail, s.fail_any});
}

PageRange no_pages(const OpSpec&, uint32_t) { return {}; }
PageRange all_pages(const OpSpec&, uint32_t pages) { return {0, pages}; }
PageRange op_range(const OpSpec& s, uint32_t) { return {s.page, s.page + s.pages}; }
// A shrinking truncate flushes the page holding the new EOF (TR2).
PageRange eof_page(const OpSpec& s, uint32_t pages) { return s.size < pages ? PageRange{s.size, s.size + 1} : PageRange{}; }

constexpr OpInfo ops[] = {
    {"write",
     "write(2): xfs_file_buffered_write -> iomap_file_buffered_write, by pages or by a byte range of whole sectors",
     write_fields, run_write, no_pages},
    {"mmap_write", "a store through a shared writable mapping: read fault, page_mkwrite, the store", one_page_fields,
     [](Ctx& c, const OpSpec& s, Data tag) { mmap_store(c, s.page, tag); }, no_pages},
    {"mmap_read", "a load through a mapping: filemap_fault if not mapped", one_page_fields,
     [](Ctx& c, const OpSpec& s, Data) { mmap_load(c, s.page); }, no_pages},
    {"read", "read(2): xfs_file_buffered_read through the page cache", range_fields,
     [](Ctx& c, const OpSpec& s, Data) { xfs_file_buffered_read(c, s.page, s.pages); }, no_pages},
    {"writeback", "one ->writepages pass: xfs_vm_writepages over a range or the whole file", writeback_fields,
     run_writeback, [](const OpSpec& s, uint32_t pages) { return s.ranged ? op_range(s, pages) : all_pages(s, pages); }},
    {"fsync", "write back and wait for all dirty data of the file", {},
     [](Ctx& c, const OpSpec&, Data) { xfs_file_fsync(c); }, all_pages},
    {"truncate", "ftruncate(2): xfs_vn_setattr -> xfs_setattr_size", truncate_fields,
     [](Ctx& c, const OpSpec& s, Data) { xfs_vn_setattr_size(c, s.size * page_size); }, eof_page},
    {"punch_hole", "fallocate(FALLOC_FL_PUNCH_HOLE): xfs_file_fallocate -> xfs_free_file_space", range_fields,
     [](Ctx& c, const OpSpec& s, Data) { xfs_file_fallocate_punch_hole(c, s.page, s.pages); }, op_range},
    {"reclaim", "memory reclaim evicting a clean, unlocked folio", one_page_fields,
     [](Ctx& c, const OpSpec& s, Data) { reclaim_folio(c, s.page); }, no_pages},
};

std::string inside_file(uint32_t pages) {
  return " (inside file.pages, " + std::to_string(pages) + " pages of " + std::to_string(page_size) + " bytes)";
}

// The rule in words without the numbers of a scenario.
const char* rule_words(Rule rule) {
  switch (rule) {
    case Rule::page: return "a page below file.pages";
    case Rule::page_count: return "1 to 64, the range ending within file.pages";
    case Rule::copy: return "pages copied before the user buffer faults, 0 to pages (bytes, a multiple of 512 up to length, in a byte range)";
    case Rule::first_byte: return "the first byte, a multiple of 512 inside file.pages";
    case Rule::byte_count: return "bytes, a multiple of 512, ending inside file.pages";
    case Rule::flag: return "true or false";
    case Rule::fail_page: return "the page whose mapping for I/O fails once, below file.pages";
    case Rule::new_size: return "the new size in pages, 0 to file.pages";
    case Rule::file_size: return "0 to 64 pages";
    case Rule::file_pages: return "1 to 64 pages";
    case Rule::free_blocks: return "a block count";
  }
  return "?";
}

}  // namespace

std::span<const OpInfo> op_table() { return ops; }

const OpInfo* find_op(std::string_view name) { return row_named(op_table(), name); }

std::string expected(Rule rule, const FileSpec& file, const OpSpec& op) {
  uint32_t pages = file.page_slots();
  uint64_t bytes = uint64_t{pages} * page_size;
  switch (rule) {
    case Rule::page:
    case Rule::fail_page: return "a page below file.pages (" + std::to_string(pages) + ")";
    case Rule::page_count: return "an integer from 1 to " + std::to_string(max_pages);
    case Rule::copy:
      if (op.byte_range) return "a multiple of 512 from 0 to " + std::to_string(op.length) + " (at most length)";
      return "a page count from 0 to " + std::to_string(op.pages) + " (at most pages)";
    case Rule::first_byte:
      return "a multiple of 512 from 0 to " + std::to_string(bytes > sector_size ? bytes - sector_size : 0) +
             inside_file(pages);
    case Rule::byte_count:
      return "a multiple of 512 from 512 to " + std::to_string(bytes > op.offset ? bytes - op.offset : 0) +
             inside_file(pages);
    case Rule::flag: return "true or false";
    case Rule::new_size: return "the new size in pages, from 0 to file.pages (" + std::to_string(pages) + ")";
    case Rule::file_size: return "an integer from 0 to " + std::to_string(max_pages);
    case Rule::file_pages: return "an integer from 1 to " + std::to_string(max_pages);
    case Rule::free_blocks: return "an integer from 0 to " + std::to_string(max_field_value);
  }
  return "?";
}

std::string expected(const OpField& field, const FileSpec& file, const OpSpec& op) {
  return expected(field.rule, file, op) + (field.any ? " or \"any\"" : "");
}

std::string field_summary(const OpField& field) {
  std::string type = field.type == FieldType::boolean ? "boolean" : "integer";
  if (field.any) type += " or \"any\"";
  return std::string(field.name) + " (" + type + "; " + (field.required ? "" : "default: ") + field.absent + "): " +
         rule_words(field.rule) + (field.any ? "; \"any\" explores every value" : "");
}

}  // namespace fsmc::model
