// The model program of a scenario: a fresh inode per execution, one model
// thread per scenario thread running its ops in order, and the invariants.
#include "model/program.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/invariants.hpp"
#include "model/ops.hpp"
#include "model/paths.hpp"
#include "model/validate.hpp"

namespace fsmc::model {

namespace {

struct PlannedOp {
  const OpInfo* info;
  OpSpec spec;
  Data tag;  // the data this op writes, if it writes
};

StateDump dump(const Inode& ip) {
  std::vector<std::string> extents, cache;
  for (uint32_t p = 0; p < ip.pages(); ++p) {
    extents.push_back(to_string(ip.i_df[p]));
    cache.push_back(describe(ip.cache[p]));
  }
  StateDump d = {{"size", int64_t{ip.size_pages()}}};
  if (ip.i_size % page_size) d.push_back({"size_bytes", static_cast<int64_t>(ip.i_size)});
  d.push_back({"extents", extents});
  d.push_back({"cache", cache});
  d.push_back({"reserved", ip.i_delayed_blks});
  return d;
}

// The initial inode of a scenario (no engine objects yet).
void init_inode(Inode& ip, const FileSpec& file) {
  uint32_t pages = file.pages ? file.pages : file.size;
  ip.i_size = file.size * page_size;
  ip.cache.assign(pages, Folio{});
  ip.slot_gen.assign(pages, 0);
  ip.i_df.assign(pages, ExtentState::hole);
  ip.disk.assign(pages, Sectors{});
  ip.ioend.assign(pages, Ioend{});
  ip.promised.assign(pages, Promise{});
  ip.holed_by.assign(pages, Origin{});
  ip.m_fdblocks = file.free_blocks;
  for (uint32_t p = 0; p < pages; ++p) {
    ExtentState e = p < file.extents.size() ? file.extents[p] : ExtentState::hole;
    CacheState cs = p < file.cache.size() ? file.cache[p] : CacheState::absent;
    ip.i_df[p] = e;
    if (e == ExtentState::delalloc) ++ip.i_delayed_blks;
    if (e == ExtentState::written) ip.disk[p] = filled(initial_data);
    Folio& f = ip.cache[p];
    if (cs != CacheState::absent) {
      f.present = f.uptodate = true;
      f.dirty = cs == CacheState::dirty;
      f.data = filled(f.dirty || e == ExtentState::written ? initial_data : zeros);
    }
    if (p < file.size) ip.promised[p].data = f.present ? f.data : ip.disk[p];
  }
  if (file.free_blocks) {
    uint64_t in_use = 0;
    for (ExtentState e : ip.i_df) in_use += e != ExtentState::hole;
    ip.total_blocks = *file.free_blocks + in_use;
  }
}

// The I/O completion workers: the pages some op may write back, one worker
// per page while the thread limit allows, else dealt round-robin.
std::vector<std::vector<uint32_t>> completion_workers(const Scenario& scenario, uint32_t pages) {
  std::vector<bool> written(pages, false);
  for (const ThreadSpec& t : scenario.threads)
    for (const OpSpec& op : t.ops) {
      const OpInfo* info = find_op(op.op);
      PageRange r = info ? info->writes_back(op, pages) : PageRange{};
      for (uint32_t p = r.first; p < r.end && p < pages; ++p) written[p] = true;
    }
  std::vector<uint32_t> served;
  for (uint32_t p = 0; p < pages; ++p)
    if (written[p]) served.push_back(p);
  // validate keeps a scenario's threads below max_threads; an unvalidated
  // one gets no workers rather than a division by zero.
  std::size_t slots = scenario.threads.size() < max_threads ? max_threads - scenario.threads.size() : 0;
  std::vector<std::vector<uint32_t>> workers(std::min(served.size(), slots));
  if (workers.empty()) return workers;
  for (std::size_t i = 0; i < served.size(); ++i) workers[i % workers.size()].push_back(served[i]);
  return workers;
}

// "end_io 3", or "end_io 3,19" for a worker serving several pages; primes
// added while a scenario thread has the name.
std::string worker_name(const std::vector<uint32_t>& pages, const Scenario& scenario) {
  std::string name = "end_io ";
  for (std::size_t i = 0; i < pages.size(); ++i) name += (i ? "," : "") + std::to_string(pages[i]);
  auto taken = [&] {
    return std::any_of(scenario.threads.begin(), scenario.threads.end(),
                       [&](const ThreadSpec& t) { return t.name == name; });
  };
  while (taken()) name += "'";
  return name;
}

// Each op of each thread with what it needs to run, and a tag for the data
// it would write: the ops are looked up once, not per execution.
std::vector<std::vector<PlannedOp>> plan_threads(const Scenario& scenario) {
  std::vector<std::vector<PlannedOp>> plans;
  Data next_tag = initial_data + 1;
  for (const ThreadSpec& t : scenario.threads) {
    std::vector<PlannedOp>& plan = plans.emplace_back();
    for (const OpSpec& op : t.ops) plan.push_back({find_op(op.op), op, next_tag++});
  }
  return plans;
}

// Whose data each tag of the plans is (DataOwners).
DataOwners data_owners(const std::vector<std::vector<PlannedOp>>& plans) {
  DataOwners owners;
  for (ThreadId t = 0; t < plans.size(); ++t) {
    owners.first.push_back(plans[t].empty() ? zeros : plans[t][0].tag);
    for (uint32_t op = 0; op < plans[t].size(); ++op) {
      Data tag = plans[t][op].tag;
      owners.thread.resize(tag + 1, no_thread);
      owners.op.resize(tag + 1, 0);
      owners.thread[tag] = t;
      owners.op[tag] = op;
    }
  }
  return owners;
}

// Scenario threads with the same ops, which differ only by the tags of the
// data they write: interchangeable (Builder::symmetric). Completion
// workers serve pages of their own, so no two are alike.
std::vector<std::vector<ThreadId>> identical_threads(const Scenario& scenario) {
  std::vector<std::vector<ThreadId>> groups;
  std::vector<bool> placed(scenario.threads.size(), false);
  for (ThreadId t = 0; t < scenario.threads.size(); ++t) {
    if (placed[t]) continue;
    std::vector<ThreadId>& g = groups.emplace_back(1, t);
    for (ThreadId u = t + 1; u < scenario.threads.size(); ++u)
      if (!placed[u] && scenario.threads[u].ops == scenario.threads[t].ops) {
        g.push_back(u);
        placed[u] = true;
      }
  }
  return groups;
}

// The engine objects of the inode: its locks and what the steps declare.
// One object per page, named `name` and the page's index: consecutive ids.
PageObjects page_objects(Builder& b, const std::string& name, uint32_t pages) {
  PageObjects out{no_object, pages};
  for (uint32_t p = 0; p < pages; ++p) {
    ObjectId id = b.object(name + std::to_string(p));
    if (p == 0) out.first = id;
  }
  return out;
}

void declare_objects(Builder& b, Inode& ip) {
  ip.i_rwsem = b.rwsem("IOLOCK");
  ip.invalidate_lock = b.rwsem("invalidate_lock");
  ip.size_obj = b.object("i_size");
  ip.delayed_obj = b.object("i_delayed_blks");
  ip.seq_obj = b.object("if_seq");
  ip.warn_obj = b.object("WARN_ON");
  // Each kind of per-page object gets consecutive ids, so a step over a
  // range of pages declares one range of objects (Op::touch).
  for (uint32_t p = 0; p < ip.pages(); ++p) ip.folio_lock.push_back(b.mutex("folio " + std::to_string(p)));
  ip.page_obj = page_objects(b, "page ", ip.pages());
  ip.extent_obj = page_objects(b, "extent ", ip.pages());
}

// One model thread per scenario thread, running its planned ops in order.
// `k` and `plans` live in the program, which outlives every execution.
void start_threads(Builder& b, Inode& ip, const Kernel& k, const Scenario& scenario,
                   const std::vector<std::vector<PlannedOp>>& plans) {
  for (std::size_t i = 0; i < scenario.threads.size(); ++i) {
    const std::vector<PlannedOp>* plan = &plans[i];
    b.thread(scenario.threads[i].name, [&ip, &k, plan](Thread& t) {
      Ctx c{t, ip, k};
      t.set_locals_hash(&Ctx::locals_hash, &c);
      Locals l(c, 0);
      for (std::size_t op = 0; op < plan->size(); ++op) {
        l(op);
        const PlannedOp& planned = (*plan)[op];
        planned.info->run(c, planned.spec, planned.tag);
      }
    });
  }
}

// Every invariant of the table, with the objects each instance reads.
void register_invariants(Builder& b, Inode& ip) {
  for (const InvariantInfo& inv : invariant_table()) {
    PageCheck step = inv.every_step;
    switch (inv.reads) {
      case Reads::nothing: break;
      case Reads::page_and_extent:
        // One instance per page: each reads only its page and its block, which
        // keeps the dependence a reduced search must respect small.
        for (uint32_t p = 0; p < ip.pages(); ++p)
          b.invariant(inv.name, [&ip, p, step] { return step(ip, p); }, {ip.page_obj[p], ip.extent_obj[p]});
        break;
      case Reads::reserved_count:
        // reservations compares i_delayed_blks with the number of delalloc blocks.
        // Every step changes both by amounts fixed by what it touches, so the
        // difference after any prefix of a trace is the sum of its steps'
        // changes: if one order of a trace shows a mismatch, every order does
        // (at the first step with a nonzero change). A reduced search therefore
        // needs no extra ordering for it, and it declares only the counter.
        b.invariant(inv.name, [&ip, step] { return step(ip, 0); }, {ip.delayed_obj});
        break;
      case Reads::warnings: b.invariant(inv.name, [&ip, step] { return step(ip, 0); }, {ip.warn_obj}); break;
    }
    if (FinalCheck end = inv.at_end) b.final_check(inv.name, [&ip, end] { return end(ip); });
  }
}

// The I/O completion workers, one background thread each (xfs_end_io).
void start_workers(Builder& b, Inode& ip, const Kernel& k, const Scenario& scenario,
                   const std::vector<std::vector<uint32_t>>& workers) {
  for (const std::vector<uint32_t>& pages : workers) {
    std::string name = worker_name(pages, scenario);
    b.background_thread(name, [&ip, &k, &pages](Thread& t) {
      Ctx c{t, ip, k};
      t.set_locals_hash(&Ctx::locals_hash, &c);
      xfs_end_io(c, pages);
    });
  }
}

}  // namespace

Program build_program(const Scenario& scenario, FinalStateHook at_end) {
  // Nothing below indexes by a scenario's values before they pass here.
  std::vector<ValidationError> errors = validate(scenario);
  if (!errors.empty()) throw std::invalid_argument(errors[0].path + ": " + errors[0].message);
  Kernel k = Kernel::from(effective_fixes(scenario));
  std::vector<std::vector<PlannedOp>> plans = plan_threads(scenario);
  std::vector<std::vector<uint32_t>> workers = completion_workers(scenario, scenario.file.page_slots());
  DataOwners owners = data_owners(plans);
  std::vector<std::vector<ThreadId>> identical = identical_threads(scenario);
  std::vector<std::string> names = program_thread_names(scenario);
  return [scenario, k, plans, workers, owners, identical, names, at_end](Builder& b) {
    Inode& ip = b.make<Inode>();
    init_inode(ip, scenario.file);
    ip.thread_names = &names;  // the program outlives every execution
    declare_objects(b, ip);
    start_threads(b, ip, k, scenario, plans);
    start_workers(b, ip, k, scenario, workers);
    register_invariants(b, ip);
    if (at_end)
      b.final_check("final_state", [&ip, at_end]() -> std::optional<std::string> {
        at_end(ip);
        return std::nullopt;
      });
    b.dump([&ip] { return dump(ip); });
    // The state is the inode's objects' values (threads hash their locals:
    // Locals), each step changing only the objects it declares.
    b.object_state([&ip](ObjectId o) { return hash_object(ip, o); });
    // `owners` lives in the program, which outlives every execution.
    b.symmetric(
        identical, [&ip, &owners](ThreadId t) { return own_data(ip, owners, t); },
        [&ip, &owners](ObjectId o, const ThreadOrder& order) { return hash_object(ip, o, owners, order); });
    b.restorable();  // all of it is in the inode and on the threads' stacks
  };
}

Program build_program(const Scenario& scenario) { return build_program(scenario, nullptr); }

std::vector<std::string> program_thread_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const ThreadSpec& t : scenario.threads) names.push_back(t.name);
  for (const std::vector<uint32_t>& pages : completion_workers(scenario, scenario.file.page_slots()))
    names.push_back(worker_name(pages, scenario));
  return names;
}

}  // namespace fsmc::model
