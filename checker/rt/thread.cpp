// The handle model code holds: announcing steps, choices, locals, trace text.
#include <cassert>

#include "rt/executor.hpp"
#include "rt/hash.hpp"
#include "search/strategy.hpp"

namespace fsmc {

std::string_view Thread::name() const { return exec_->slots_[id_].name; }

void Thread::step(const Op& op) {
  Executor::Slot& s = exec_->slots_[id_];
  s.pending = &exec_->coverage_.announce(id_, op);
  s.point_stale = true;
  exec_->yield_to_scheduler();
}

uint32_t Thread::choose(uint32_t n, const char* function, const char* point) {
  assert(n > 0);
  step(Op{.kind = OpKind::choose, .function = function, .point = point, .choices = n});
  uint32_t value = exec_->strategy_->pick_value(n);
  exec_->result_.decisions.push_back(value);
  exec_->chosen_ = value;
  uint64_t& history = exec_->slots_[id_].history;
  history = mix(history, uint64_t{value} + 1);
  return value;
}

void Thread::set_locals_hash(uint64_t hash) { exec_->slots_[id_].locals = hash; }

void Thread::set_locals_hash(uint64_t (*hash)(const void*), const void* arg) {
  exec_->slots_[id_].locals_fn = hash;
  exec_->slots_[id_].locals_arg = arg;
}

bool Thread::tracing() const { return exec_->mode_.tracing; }

void Thread::add_detail(std::string text) {
  std::string& d = exec_->detail_;
  if (!d.empty()) d += "; ";
  d += text;
}

}  // namespace fsmc
