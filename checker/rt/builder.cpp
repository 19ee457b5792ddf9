// What a program declares while it sets up an execution.
#include <algorithm>
#include <stdexcept>

#include "rt/executor.hpp"
#include "sync/mutex.hpp"
#include "sync/rwsem.hpp"

namespace fsmc {

ObjectId Builder::object(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::plain, {}});
  return static_cast<ObjectId>(exec_.objects_.size() - 1);
}

Mutex Builder::mutex(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::mutex, {}});
  return Mutex{static_cast<ObjectId>(exec_.objects_.size() - 1)};
}

RwSem Builder::rwsem(std::string name) {
  exec_.objects_.push_back({std::move(name), Executor::ObjectKind::rwsem, {}});
  return RwSem{static_cast<ObjectId>(exec_.objects_.size() - 1)};
}

void Builder::thread(std::string name, std::function<void(Thread&)> body) {
  if (exec_.slots_.size() >= max_threads)
    throw std::length_error("a program may start at most " + std::to_string(max_threads) + " threads");
  Executor::Slot s;
  s.name = std::move(name);
  s.body = std::move(body);
  exec_.slots_.push_back(std::move(s));
}

void Builder::background_thread(std::string name, std::function<void(Thread&)> body) {
  thread(std::move(name), std::move(body));
  exec_.slots_.back().background = true;
}

void Builder::invariant(std::string name, Check check, std::vector<ObjectId> reads) {
  exec_.invariants_.push_back({exec_.name_index(name, true), std::move(check), std::move(reads), false});
}

void Builder::final_check(std::string name, Check check) {
  exec_.invariants_.push_back({exec_.name_index(name, true), std::move(check), {}, true});
}

void Builder::dump(std::function<StateDump()> dump) { exec_.dump_ = std::move(dump); }

void Builder::state_hash(std::function<uint64_t()> hash) { exec_.state_hash_ = std::move(hash); }

void Builder::object_hash(std::function<uint64_t(ObjectId)> hash) { exec_.object_hash_ = std::move(hash); }

void Builder::object_state(std::function<uint64_t(ObjectId)> hash) {
  exec_.object_hash_ = std::move(hash);
  exec_.objects_keyed_ = true;
}

void Builder::symmetric(std::vector<std::vector<ThreadId>> groups, std::function<uint64_t(ThreadId)> own_data,
                        std::function<uint64_t(ObjectId, const ThreadOrder&)> renamed) {
  std::vector<bool> grouped(exec_.slots_.size(), false);
  for (std::vector<ThreadId>& g : groups) {
    std::sort(g.begin(), g.end());
    for (ThreadId t : g) {
      if (t >= grouped.size() || grouped[t] || exec_.slots_[t].background != exec_.slots_[g[0]].background)
        throw std::logic_error("Builder::symmetric: the groups must be disjoint groups of started threads of one kind");
      grouped[t] = true;
    }
  }
  std::erase_if(groups, [](const std::vector<ThreadId>& g) { return g.size() < 2; });
  exec_.symmetric_ = std::move(groups);
  exec_.own_data_ = std::move(own_data);
  exec_.renamed_hash_ = std::move(renamed);
}

}  // namespace fsmc
