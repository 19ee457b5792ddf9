#include "search/dpor.hpp"

#include <cassert>

#include "rt/executor.hpp"

namespace fsmc {

Dpor::Dpor(const Executor& exec)
    : exec_(exec), threads_(static_cast<uint32_t>(exec.thread_names().size())), coupling_(exec) {}

bool Dpor::next_execution() {
  path_.restart();
  abandoned_ = false;
  unprocessed_.clear();
  last_event_.fill(0);
  pending_since_.fill(0);
  if (!started_) {
    started_ = true;
    return true;
  }
  done_ = !path_.advance();
  if (!done_) events_.resize(path_.back().extra.event);
  return !done_;
}

void Dpor::add_backtrack(Branch& b, Mask threads) {
  b.extra.backtrack |= threads;
  b.todo |= threads & b.extra.enabled & ~b.sleep & ~b.done;
}

// What the step just taken changed for threads that did not take it: wake
// the sleepers it conflicts with; and a thread it leaves blocked gets its
// pending operation analysed now, against the events so far (Flanagan and
// Godefroid look at every thread's next transition in every state: a later
// write would hide the one that blocked it first).
void Dpor::after_step(const SchedulePoint& point) {
  ThreadId by = events_.back().thread;
  Footprint ran = events_.back().footprint;
  sleep_ = wake(pending_, sleep_, ran);
  Mask enabled = 0;
  for (ThreadId t : point.enabled) enabled |= bit(t);
  for (ThreadId t = 0; t < point.threads; ++t) {
    const Op& op = exec_.pending(t);
    if (op.kind == OpKind::finish || (enabled & bit(t))) continue;
    if (t == by || pending_.of(t).conflicts(ran)) add_blocked(t);
  }
}

ThreadId Dpor::pick_thread(const SchedulePoint& point) {
  const Executor& exec = *point.executor;
  std::size_t known = events_.size();
  add_events(exec.step_count());
  if (events_.size() > known && !path_.replaying()) after_step(point);
  if (path_.replaying()) {
    auto at = static_cast<uint32_t>(path_.depth());
    const Branch& b = path_.replay_next();
    assert(!b.value);
    if (b.extra.event == events_.size()) {  // the branch where this execution turns off the recorded path
      sleep_ = still_asleep(pending_, (b.sleep | b.done) & ~bit(b.chosen), b.chosen);
      choose(b.chosen, at);
    } else {
      last_event_[b.chosen] = b.extra.event + 1;
      pending_since_[b.chosen] = at + 1;
    }
    return b.chosen;
  }

  Mask enabled = 0;
  for (ThreadId t : point.enabled) enabled |= bit(t);
  Mask candidates = enabled & ~sleep_;
  if (!candidates) {  // every enabled thread leads to explored traces
    abandoned_ = true;
    enabled_when_abandoned_ = enabled;
    return no_thread;
  }
  // Staying on the running thread keeps executions close to each other.
  ThreadId chosen =
      point.current != no_thread && (candidates & bit(point.current)) ? point.current : lowest(candidates);
  auto at = static_cast<uint32_t>(path_.size());
  Branch& b = path_.push(Path<Backtrack>::thread_branch(bit(chosen), chosen, sleep_));
  b.extra = {enabled, bit(chosen), static_cast<uint32_t>(events_.size())};
  sleep_ = still_asleep(pending_, sleep_ & ~bit(chosen), chosen);
  choose(chosen, at);
  return chosen;
}

uint32_t Dpor::pick_value(uint32_t choices) {
  if (path_.replaying()) {
    const Branch& b = path_.replay_next();
    assert(b.value && b.count == choices);
    sleep_ = b.sleep;
    return b.chosen;
  }
  Branch& b = path_.push(Path<Backtrack>::value_branch(choices, sleep_));
  b.extra.event = static_cast<uint32_t>(events_.size());
  return b.chosen;
}

void Dpor::execution_done(const RunResult& result) {
  add_events(result.steps);
  // A thread that never got past a blocked operation has no event to race
  // with what blocked it; its pending operation stands in for one (Flanagan
  // and Godefroid look at every thread's next transition, enabled or not).
  for (ThreadId t = 0; t < exec_.thread_names().size(); ++t)
    if (exec_.pending(t).kind != OpKind::finish && !(abandoned_ && (enabled_when_abandoned_ & bit(t))))
      add_blocked(t);
  path_.cut_to_depth();  // an execution that ended early leaves no deeper decisions to revisit
}

void Dpor::choose(ThreadId t, uint32_t node) {
  unprocessed_.push_back({t, node, pending_since_[t], exec_.pending(t)});
  pending_since_[t] = node + 1;
}

// Analyse the chosen steps that have run: one event per step, so the next
// to analyse is step events_.size() of the `performed` so far.
void Dpor::add_events(uint32_t performed) {
  std::size_t n = 0;
  for (; n < unprocessed_.size() && events_.size() < performed; ++n) {
    const Chosen& c = unprocessed_[n];
    add_event(c.thread, c.node, c.pending_since, c.announced);
  }
  unprocessed_.erase(unprocessed_.begin(), unprocessed_.begin() + static_cast<std::ptrdiff_t>(n));
}

void Dpor::add_event(ThreadId t, uint32_t node, uint32_t pending_since, const Op& performed) {
  for (uint32_t r : append_event(t, node, pending_since, performed)) on_race(r, events_.size() - 1);
  last_event_[t] = static_cast<uint32_t>(events_.size());
}

// As if the blocked operation ran next: the races it would have are the
// orders in which it is not blocked. The stand-in event is removed again.
void Dpor::add_blocked(ThreadId t) {
  auto node = static_cast<uint32_t>(path_.size());
  for (uint32_t r : append_event(t, node, pending_since_[t], exec_.pending(t))) on_race(r, events_.size() - 1);
  events_.pop_back();
}

const std::vector<uint32_t>& Dpor::append_event(ThreadId t, uint32_t node, uint32_t pending_since, const Op& performed) {
  Event ev;
  ev.thread = t;
  ev.node = node;
  ev.pending_since = pending_since;
  // Events are analysed at the next scheduling point, when what the thread
  // announced next is known.
  ev.footprint = performed_footprint(exec_, coupling_, t, performed);
  ev.clock.fill(0);
  if (last_event_[t]) ev.clock = events_[last_event_[t] - 1].clock;
  ev.local = ev.clock[t] + 1;

  // Scan back: every dependent event joins the new event's clock; a racing
  // one not already ordered before it by the later racing events is a race.
  Clock ordered = ev.clock;
  std::vector<uint32_t>& races = races_;
  races.clear();
  for (std::size_t i = events_.size(); i-- > 0;) {
    const Event& e = events_[i];
    if (e.thread == t || !e.footprint.conflicts(ev.footprint)) continue;
    for (uint32_t k = 0; k < threads_; ++k) ev.clock[k] = std::max(ev.clock[k], e.clock[k]);
    if (!e.footprint.races(ev.footprint)) continue;
    if (ordered[e.thread] < e.local) races.push_back(static_cast<uint32_t>(i));
    for (uint32_t k = 0; k < threads_; ++k) ordered[k] = std::max(ordered[k], e.clock[k]);
  }
  ev.clock[t] = ev.local;
  events_.push_back(ev);
  return races;
}

void Dpor::on_race(std::size_t e_index, std::size_t new_index) {
  const Event& e = events_[e_index];
  // v: the events after e that do not happen after it, then the new event.
  // Its initials are the threads whose first event in v has no predecessor in v.
  Mask seen = 0, initials = 0;
  uint32_t first_pending[max_threads] = {};
  for (std::size_t j = e_index + 1; j <= new_index; ++j) {
    const Event& x = events_[j];
    if (j != new_index && after(x, e)) continue;
    if (seen & bit(x.thread)) continue;
    seen |= bit(x.thread);
    bool preceded = false;
    for (std::size_t k = e_index + 1; k < j && !preceded; ++k) {
      const Event& y = events_[k];
      preceded = !after(y, e) && after(x, y);
    }
    if (!preceded) {
      initials |= bit(x.thread);
      first_pending[x.thread] = x.pending_since;
    }
  }
  Branch& at = path_[e.node];
  if (initials & at.extra.backtrack) return;
  ThreadId want = events_[new_index].thread;
  ThreadId q = (initials & bit(want)) ? want : lowest(initials);
  if (at.extra.enabled & bit(q)) {
    add_backtrack(at, bit(q));
    return;
  }
  // q was blocked when e ran (e.g. waiting for a lock or a folio's writeback):
  // reverse instead what blocked it, at the latest state where q could run.
  for (uint32_t j = e.node; j-- > first_pending[q];) {
    Branch& b = path_[j];
    if (!b.value && (b.extra.enabled & bit(q))) {
      add_backtrack(b, bit(q));
      return;
    }
  }
  add_backtrack(at, at.extra.enabled);
}

}  // namespace fsmc
