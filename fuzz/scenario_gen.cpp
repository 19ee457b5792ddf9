#include "fuzz/scenario_gen.hpp"

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

// A range [page, page + pages) within the file; `pages` omitted sometimes.
void range(FuzzedDataProvider& in, json& op, uint32_t file_pages, bool page_optional) {
  uint32_t page = 0;
  if (!page_optional || in.ConsumeBool()) {
    page = in.ConsumeIntegralInRange<uint32_t>(0, file_pages - 1);
    op["page"] = page;
  }
  if (in.ConsumeBool()) op["pages"] = in.ConsumeIntegralInRange<uint32_t>(1, file_pages - page);
}

json generate_op(FuzzedDataProvider& in, uint32_t file_pages) {
  const std::string name = pick(in, model::op_table()).name;
  json op = {{"op", name}};
  if (name == "write") {
    range(in, op, file_pages, false);
    uint32_t pages = op.value("pages", 1u);
    switch (in.ConsumeIntegralInRange(0, 2)) {
      case 0: break;  // the whole range is copied
      case 1: op["copy"] = in.ConsumeIntegralInRange<uint32_t>(0, pages); break;
      default: op["copy"] = "any";
    }
  } else if (name == "mmap_write" || name == "mmap_read" || name == "reclaim") {
    op["page"] = in.ConsumeIntegralInRange<uint32_t>(0, file_pages - 1);
  } else if (name == "read" || name == "punch_hole") {
    range(in, op, file_pages, false);
  } else if (name == "writeback") {
    range(in, op, file_pages, true);
    if (in.ConsumeBool()) op["sync"] = in.ConsumeBool();
  } else if (name == "truncate") {
    op["size"] = in.ConsumeIntegralInRange<uint32_t>(0, file_pages);
  } else if (name != "fsync") {
    // A new op: teach the generator its fields, or it never fuzzes them.
    std::fprintf(stderr, "scenario_gen: no fields known for op \"%s\"\n", name.c_str());
    std::abort();
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
