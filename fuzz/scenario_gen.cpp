#include "fuzz/scenario_gen.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/invariants.hpp"
#include "model/ops.hpp"
#include "model/scenario.hpp"

namespace fsmc::fuzz {

using json = nlohmann::ordered_json;

namespace {

template <class Items>
const auto& pick(FuzzedDataProvider& in, const Items& from) {
  return from[in.ConsumeIntegralInRange<std::size_t>(0, std::size(from) - 1)];
}

// A value for `field` that its rule accepts, given the fields of `op`
// chosen so far (the op table lists a field after those its rule reads).
json field_value(FuzzedDataProvider& in, const model::OpField& field, const json& op, uint32_t file_pages) {
  uint32_t page = op.value("page", 0u);
  switch (field.rule) {
    case model::Rule::page:
    case model::Rule::fail_page: return in.ConsumeIntegralInRange<uint32_t>(0, file_pages - 1);
    case model::Rule::page_count: return in.ConsumeIntegralInRange<uint32_t>(1, file_pages - page);
    case model::Rule::copy:
      if (op.contains("length"))
        return in.ConsumeIntegralInRange<uint64_t>(0, op["length"].get<uint64_t>() / model::sector_size) *
               model::sector_size;
      return in.ConsumeIntegralInRange<uint32_t>(0, op.value("pages", 1u));
    case model::Rule::first_byte:
      return uint64_t{in.ConsumeIntegralInRange<uint32_t>(0, file_pages * model::sectors_per_page - 1)} * model::sector_size;
    case model::Rule::byte_count: {
      uint32_t first = static_cast<uint32_t>(op.value("offset", uint64_t{0}) / model::sector_size);
      return uint64_t{in.ConsumeIntegralInRange<uint32_t>(1, file_pages * model::sectors_per_page - first)} *
             model::sector_size;
    }
    case model::Rule::flag: return in.ConsumeBool();
    case model::Rule::new_size: return in.ConsumeIntegralInRange<uint32_t>(0, file_pages);
    case model::Rule::file_size:
    case model::Rule::file_pages:
    case model::Rule::free_blocks: break;
  }
  // A rule of the file section on an op: teach the generator what it means there.
  std::fprintf(stderr, "scenario_gen: no values known for op field \"%s\"\n", field.name);
  std::abort();
}

// An op of the table with a value for each of its required fields and for
// some of its optional ones, "any" now and then where the field takes it.
// An op with two forms (write: pages or a byte range) takes the fields of one.
json generate_op(FuzzedDataProvider& in, uint32_t file_pages) {
  const model::OpInfo& info = pick(in, model::op_table());
  bool two_forms = std::any_of(info.fields.begin(), info.fields.end(),
                               [](const model::OpField& f) { return f.form == model::Form::bytes; });
  model::Form form = two_forms && in.ConsumeBool() ? model::Form::bytes : model::Form::pages;
  json op = {{"op", info.name}};
  for (const model::OpField& field : info.fields) {
    if (field.form != model::Form::either && field.form != form) continue;
    if (!field.required && !in.ConsumeBool()) continue;
    op[field.name] = field.any && in.ConsumeBool() ? json("any") : field_value(in, field, op, file_pages);
  }
  return op;
}

// One entry per page up to some length, each a state the kernel can be in.
void generate_file(FuzzedDataProvider& in, json& file) {
  uint32_t pages = in.ConsumeIntegralInRange<uint32_t>(1, max_pages);
  uint32_t size = in.ConsumeIntegralInRange<uint32_t>(0, pages);
  file["size"] = size;
  file["pages"] = pages;
  uint32_t given = in.ConsumeIntegralInRange<uint32_t>(0, pages);
  if (given == 0) return;
  json extents = json::array(), cache = json::array();
  for (uint32_t p = 0; p < given; ++p) {
    std::string e = pick(in, model::extent_state_names).name;
    std::vector<std::string> allowed;
    if (p >= size) allowed = {"absent"};                   // nothing cached beyond EOF
    else if (e == "delalloc") allowed = {"dirty"};         // delalloc inside EOF lies under dirty data
    else if (e == "hole") allowed = {"absent", "clean"};   // dirty data is never over a hole
    else allowed = {"absent", "clean", "dirty"};
    extents.push_back(e);
    cache.push_back(pick(in, allowed));
  }
  file["extents"] = extents;
  file["cache"] = cache;
  if (in.ConsumeBool()) file["free_blocks"] = in.ConsumeIntegralInRange<uint32_t>(0, 2 * pages);
}

}  // namespace

json generate_scenario(FuzzedDataProvider& in) {
  json j = {{"fsmc", 1}, {"name", "fuzz"}};
  j["kernel"] = pick(in, model::kernel_table()).name;
  if (in.ConsumeBool()) {
    json fixes = json::object();
    for (const model::FixInfo& f : model::fix_table())
      if (in.ConsumeBool()) fixes[f.name] = in.ConsumeBool();
    j["fixes"] = fixes;
  }
  json file = json::object();
  generate_file(in, file);
  j["file"] = file;
  uint32_t pages = file["pages"];

  json threads = json::array();
  uint32_t n_threads = in.ConsumeIntegralInRange<uint32_t>(1, max_threads);
  for (uint32_t t = 0; t < n_threads; ++t) {
    json ops = json::array();
    uint32_t n_ops = in.ConsumeIntegralInRange<uint32_t>(0, max_ops);
    for (uint32_t i = 0; i < n_ops; ++i) ops.push_back(generate_op(in, pages));
    threads.push_back({{"name", "t" + std::to_string(t)}, {"ops", ops}});
  }
  j["threads"] = threads;

  if (in.ConsumeBool()) {
    json check = json::array();
    for (const model::InvariantInfo& i : model::invariant_table())
      if (in.ConsumeBool()) check.push_back(i.name);
    if (check.empty()) check.push_back(pick(in, model::invariant_table()).name);
    j["check"] = check;
  }

  json search = json::object();
  search["strategy"] = pick(in, std::vector<std::string>{"auto", "dfs", "dpor", "bounded", "random", "pct"});
  if (in.ConsumeBool()) search["preemptions"] = in.ConsumeIntegralInRange<uint32_t>(0, 64);
  search["max_executions"] = in.ConsumeIntegralInRange<uint64_t>(1, max_executions);
  if (in.ConsumeBool()) search["seed"] = in.ConsumeIntegralInRange<uint64_t>(0, UINT64_MAX >> 1);
  if (in.ConsumeBool()) search["depth"] = in.ConsumeIntegralInRange<uint32_t>(1, 64);
  if (in.ConsumeBool()) search["stateful"] = in.ConsumeBool();
  j["search"] = search;
  return j;
}

}  // namespace fsmc::fuzz
