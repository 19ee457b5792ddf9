// validate(): the kernel, fix, op and invariant names against their tables,
// the file's limits and a starting state the kernel could be in, and every
// op field's value by the rule the ops table gives it.
#include "model/validate.hpp"

#include "model/fixes.hpp"
#include "model/invariants.hpp"
#include "model/ops.hpp"

namespace fsmc::model {

namespace {

template <class Table>
std::string names_in(const Table& table) {
  std::string out;
  for (const auto& entry : table) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

class Checker {
 public:
  explicit Checker(const Scenario& s) : s_(s) {}

  std::vector<ValidationError> run() {
    names();
    if (file()) threads();
    checks();
    return std::move(errors_);
  }

 private:
  void fail(std::string path, std::string message) { errors_.push_back({std::move(path), std::move(message)}); }

  void names() {
    if (!find_kernel(s_.kernel))
      fail("kernel", "unknown kernel \"" + s_.kernel + "\" (expected one of " + names_in(kernel_table()) + ")");
    for (const auto& [name, on] : s_.fixes)
      if (!find_fix(name))
        fail("fixes." + name, "unknown fix \"" + name + "\" (expected one of " + names_in(fix_table()) + ")");
  }

  // False when the file is no base to judge the ops against.
  bool file() {
    const FileSpec& f = s_.file;
    std::size_t before = errors_.size();
    uint32_t pages = f.page_slots();
    if (f.size > max_pages) fail("file.size", "expected " + expected(Rule::file_size, f, {}) + ", got " + std::to_string(f.size));
    if (f.pages > max_pages)
      fail("file.pages", "expected " + expected(Rule::file_pages, f, {}) + ", got " + std::to_string(f.pages));
    if (pages == 0) fail("file.pages", "expected at least one page (give file.size or file.pages)");
    if (f.size > pages && pages <= max_pages)
      fail("file.size", "expected at most file.pages (" + std::to_string(pages) + "), got " + std::to_string(f.size));
    if (f.extents.size() > pages)
      fail("file.extents", "expected 0 to " + std::to_string(pages) + " extent states, got " + std::to_string(f.extents.size()));
    if (f.cache.size() > pages)
      fail("file.cache", "expected 0 to " + std::to_string(pages) + " cache states, got " + std::to_string(f.cache.size()));
    if (f.free_blocks && *f.free_blocks > max_field_value)
      fail("file.free_blocks", "expected " + expected(Rule::free_blocks, f, {}) + ", got " + std::to_string(*f.free_blocks));
    if (errors_.size() > before) return false;
    // The initial state must be one the kernel could be in.
    for (uint32_t p = 0; p < pages; ++p) {
      ExtentState e = p < f.extents.size() ? f.extents[p] : ExtentState::hole;
      CacheState c = p < f.cache.size() ? f.cache[p] : CacheState::absent;
      std::string cache_at = at("file.cache", p);
      if (c == CacheState::dirty && e == ExtentState::hole)
        fail(cache_at, "a dirty page must lie over a delalloc, unwritten or written extent, but file.extents[" +
                           std::to_string(p) + "] is a hole");
      if (c != CacheState::absent && p >= f.size)
        fail(cache_at, "expected \"absent\" beyond file.size (" + std::to_string(f.size) + "), got a cached page");
      if (e == ExtentState::delalloc && p < f.size && c != CacheState::dirty)
        fail(at("file.extents", p), "a delalloc extent inside file.size needs a dirty page over it (file.cache[" +
                                        std::to_string(p) + "] is not \"dirty\")");
    }
    return errors_.size() == before;
  }

  void threads() {
    if (s_.threads.empty() || s_.threads.size() > scenario_max_threads)
      fail("threads", "expected 1 to " + std::to_string(scenario_max_threads) + " threads, got " +
                          std::to_string(s_.threads.size()));
    for (std::size_t t = 0; t < s_.threads.size(); ++t) {
      const ThreadSpec& thread = s_.threads[t];
      std::string path = at("threads", t);
      if (thread.name.empty()) fail(path + ".name", "expected a name, got \"\"");
      for (std::size_t other = 0; other < t; ++other)
        if (s_.threads[other].name == thread.name)
          fail(path + ".name", "expected a name no other thread has, got \"" + thread.name + "\" again");
      if (thread.ops.size() > thread_max_ops)
        fail(path + ".ops", "expected 0 to " + std::to_string(thread_max_ops) + " operations, got " +
                                std::to_string(thread.ops.size()));
      for (std::size_t i = 0; i < thread.ops.size(); ++i) op(thread.ops[i], at(path + ".ops", i));
    }
  }

  void op(const OpSpec& op, const std::string& path) {
    const OpInfo* info = find_op(op.op);
    if (!info) {
      fail(path + ".op", "unknown operation \"" + op.op + "\" (expected one of " + names_in(op_table()) + ")");
      return;
    }
    for (const OpField& field : info->fields) {
      if (field.form != Form::either && (field.form == Form::bytes) != op.byte_range) continue;
      std::string where = path + "." + field.name;
      auto bad = [&](uint64_t got) { fail(where, "expected " + expected(field, s_.file, op) + ", got " + std::to_string(got)); };
      uint32_t pages = s_.file.page_slots();
      uint64_t bytes = uint64_t{pages} * page_size;
      switch (field.rule) {
        case Rule::page:
          if (op.page >= pages) bad(op.page);
          break;
        case Rule::page_count:
          if (op.pages < 1 || op.pages > max_pages) bad(op.pages);
          else if (uint64_t{op.page} + op.pages > pages)
            fail(where, "expected the range to end within file.pages (" + std::to_string(pages) + "), got pages " +
                            std::to_string(op.page) + ".." + std::to_string(uint64_t{op.page} + op.pages - 1));
          break;
        case Rule::copy:
          if (op.copy && (op.byte_range ? *op.copy > op.length || *op.copy % sector_size : *op.copy > op.pages))
            bad(*op.copy);
          break;
        case Rule::first_byte:
          if (op.offset >= bytes || op.offset % sector_size) bad(op.offset);
          break;
        case Rule::byte_count:
          if (op.length < sector_size || op.length % sector_size || op.offset >= bytes || op.length > bytes - op.offset)
            bad(op.length);
          break;
        case Rule::fail_page:
          if (op.fail && *op.fail >= pages) bad(*op.fail);
          break;
        case Rule::new_size:
          if (op.size > pages) bad(op.size);
          break;
        case Rule::flag:
        case Rule::file_size:
        case Rule::file_pages:
        case Rule::free_blocks: break;
      }
    }
  }

  void checks() {
    for (std::size_t i = 0; i < s_.check.size(); ++i)
      if (!find_invariant(s_.check[i]))
        fail(at("check", i), "unknown invariant \"" + s_.check[i] + "\" (expected one of " + names_in(invariant_table()) + ")");
  }

  const Scenario& s_;
  std::vector<ValidationError> errors_;
};

}  // namespace

std::vector<ValidationError> validate(const Scenario& scenario) { return Checker(scenario).run(); }

}  // namespace fsmc::model
