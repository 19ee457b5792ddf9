#include "search/coverage.hpp"

#include <algorithm>
#include <cstring>

#include "rt/hash.hpp"

namespace fsmc {

void Coverage::reset(const std::vector<ReachGoal>& goals) {
  *this = Coverage{};
  for (uint32_t g = 0; g < goals.size(); ++g) {
    const ReachGoal& goal = goals[g];
    uint32_t step = intern(goal.step);
    bool windowed = !goal.after.empty();
    plain_.push_back(windowed ? none : step);
    if (windowed) windows_.push_back({g, step, intern(goal.after), goal.before.empty() ? none : intern(goal.before)});
  }
  met_.assign(goals.size(), false);
  // Sized once: a thread's pending op points into it while others announce.
  if (!windows_.empty()) announced_.resize(max_threads);
}

void Coverage::start_execution() {
  for (Window& w : windows_) w.inside = 0;
}

uint32_t Coverage::intern(const std::string& id) {
  for (uint32_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == id) return i;
  ids_.push_back(id);
  reached_.push_back(false);
  return static_cast<uint32_t>(ids_.size() - 1);
}

uint32_t Coverage::intern(const char* point) {
  if (!point || !*point) return none;
  // Models pass string literals: one pointer is one id, so most steps cost
  // a table lookup. A slot taken by another literal is simply overwritten.
  auto bits = reinterpret_cast<uintptr_t>(point);
  auto& slot = cache_[(bits ^ bits >> 8 ^ bits >> 16) & (cache_.size() - 1)];
  if (slot.first != point) slot = {point, intern(std::string(point))};
  return slot.second;
}

bool Coverage::relevant(uint32_t id) const {
  for (const Window& w : windows_)
    if (id == w.step || id == w.after || id == w.before) return true;
  return false;
}

const Op& Coverage::announce(ThreadId t, const Op& op) {
  if (windows_.empty() || !relevant(intern(op.point))) return op;
  announced_[t] = op;
  announced_[t].writes(goal_object_);
  return announced_[t];
}

void Coverage::performed(ThreadId t, const Op& op) {
  uint32_t id = intern(op.point);
  if (id == none) return;
  if (!reached_[id]) {
    reached_[id] = true;
    order_.push_back(id);
  }
  for (Window& w : windows_) {
    if (id == w.step && w.inside) met_[w.goal] = true;
    if (id == w.after) w.inside |= uint32_t{1} << t;
    if (id == w.before) w.inside &= ~(uint32_t{1} << t);
  }
}

uint64_t Coverage::key() const {
  uint64_t h = 0;
  for (const Window& w : windows_) h = mix(h, w.inside);
  return h;
}

void Coverage::save(Moment& m) const {
  m.inside.resize(windows_.size());
  for (std::size_t i = 0; i < windows_.size(); ++i) m.inside[i] = windows_[i].inside;
  m.announced = announced_;
}

void Coverage::restore(const Moment& m) {
  for (std::size_t i = 0; i < windows_.size() && i < m.inside.size(); ++i) windows_[i].inside = m.inside[i];
  announced_ = m.announced;
}

std::vector<std::string> Coverage::reached() const {
  std::vector<std::string> out;
  for (uint32_t id : order_) out.push_back(ids_[id]);
  return out;
}

std::vector<bool> Coverage::goals_met() const {
  std::vector<bool> out = met_;
  for (uint32_t g = 0; g < plain_.size(); ++g)
    if (plain_[g] != none && reached_[plain_[g]]) out[g] = true;
  return out;
}

void add_reached(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const std::string& id : from)
    if (std::find(into.begin(), into.end(), id) == into.end()) into.push_back(id);
}

void add_goals_met(std::vector<bool>& into, const std::vector<bool>& from) {
  into.resize(std::max(into.size(), from.size()), false);
  for (std::size_t g = 0; g < from.size(); ++g) into[g] = into[g] || from[g];
}

}  // namespace fsmc
