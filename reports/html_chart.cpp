// The HTML view of a trace: a self-contained sequence chart (no scripts, no
// external files) with one lane per thread, a bar beside each lane for every
// lock the thread holds, the step that broke the invariant shown at the top
// and linked to, the racing pair highlighted, the preemptions marked, the
// minimal steps shown first with a switch to all steps, and the state at
// the violation as a table of pages. Many threads scroll sideways inside
// the chart, never the page.
#include <algorithm>
#include <map>
#include <set>

#include "reports/markup.hpp"
#include "reports/view.hpp"

namespace fsmc::reports {

namespace {

std::string escape(const std::string& s) { return escape_markup(s); }


// For every lane, the locks its thread ever holds, in order of first use.
// (What a lane holds at a step is tracked while drawing: a copy per step
// would cost steps times lanes.)
std::map<std::string, std::vector<std::string>> lane_locks(const TraceView& v, const std::vector<std::string>& lanes) {
  std::map<std::string, std::vector<std::string>> locks;
  for (const std::string& lane : lanes) locks[lane];
  for (const TraceStep& s : v.steps) {
    std::vector<std::string>& mine = locks[s.thread_name];
    for (const HeldLock& held : s.locks)  // one lock keeps one colour whichever mode it is held in
      if (std::find(mine.begin(), mine.end(), held.lock) == mine.end()) mine.push_back(held.lock);
  }
  return locks;
}

std::string step_summary_detail(const TraceStep& s) {
  return s.detail.empty() ? std::string(to_string(s.op)) + " " + s.object : s.detail;
}

std::string scalar_text(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Array fields (one entry per page) become rows of one table; the rest a list.
std::string state_html(const nlohmann::ordered_json& state) {
  std::size_t pages = 0;
  for (const auto& [key, value] : state.items())
    if (value.is_array()) pages = std::max(pages, value.size());
  std::string h = "<h2>State at the violation</h2>\n";
  if (pages > 0) {
    h += "<table class=\"state\"><tr><th>page</th>";
    for (std::size_t p = 0; p < pages; ++p) h += "<th>" + std::to_string(p) + "</th>";
    h += "</tr>\n";
    for (const auto& [key, value] : state.items()) {
      if (!value.is_array()) continue;
      h += "<tr><th>" + escape(key) + "</th>";
      for (std::size_t p = 0; p < pages; ++p)
        h += "<td>" + (p < value.size() ? escape(scalar_text(value[p])) : std::string()) + "</td>";
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  h += "<ul class=\"scalars\">";
  for (const auto& [key, value] : state.items())
    if (!value.is_array()) h += "<li>" + escape(key) + ": <b>" + escape(scalar_text(value)) + "</b></li>";
  return h + "</ul>\n";
}

const char* const style =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}"
    ".msg{background:#fde8e8;border-left:4px solid #c0392b;padding:.6em .8em;margin:1em 0}"
    ".scroll{overflow:auto;max-height:85vh;max-width:100%;border:1px solid #eee}"
    ".jump{display:inline-block;margin-left:.6em;padding:1px 8px;border:1px solid #c0392b;border-radius:4px;"
    "background:#fff;color:#c0392b;text-decoration:none;font-weight:bold}"
    ".broken{border:2px solid #c0392b;border-radius:4px;padding:.4em .8em;margin:.5em 0;display:inline-block}"
    "table.chart{border-collapse:collapse}"
    ".chart th{position:sticky;top:0;background:#f4f4f4;padding:4px 8px;border-bottom:2px solid #999}"
    ".chart td{padding:0;vertical-align:top}"
    ".chart td.n{color:#999;text-align:right;padding:3px 8px;font-size:12px}"
    ".chart td.bar{width:6px;min-width:6px;border-left:1px solid #fff}"
    ".chart td.lane{min-width:7em;max-width:16em;border-left:1px dashed #ccc;padding:2px 6px}"
    ".box{border:1px solid #bbb;border-radius:4px;background:#fafafa;padding:3px 6px;font-size:13px;overflow-wrap:anywhere}"
    ".box .pt{color:#888;font-size:11px}.box .what{color:#444}"
    "tr.violation td{background:#fde8e8}tr.violation .box{border:2px solid #c0392b;background:#fff}"
    ".mark{color:#c0392b;font-weight:bold}"
    ".legend span.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}"
    "table.state{border-collapse:collapse;font-size:13px}"
    ".state td,.state th{border:1px solid #ccc;padding:3px 8px}.state th{background:#f4f4f4}"
    "tr.race .box{border:2px solid #e67e22;background:#fff7ec}.race-label{color:#e67e22;font-weight:bold;font-size:11px}"
    "tr.violation.race .box{border-color:#c0392b}"
    ".noreturn-label{color:#8e44ad;font-weight:bold;font-size:11px}"
    "tr.preempt td.n{border-left:4px solid #2471a3}.preempt-label{color:#2471a3;font-weight:bold;font-size:11px}"
    ".seen-label{color:#c0392b;font-size:11px}"
    ".chart td.changes{font-size:11px;color:#555;padding:3px 8px;border-left:1px solid #ddd;min-width:10em}"
    "tr.extra{display:none}#all-steps:checked~.scroll tr.extra{display:table-row}"
    ".xl{display:none}#all-steps:checked~.scroll .xl{display:table-cell}"
    "tr.extra .box{opacity:.75}.toggle{margin:.5em 0}";

const char* const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948",
                               "#76b7b2", "#ff9da7", "#9c755f", "#e15759", "#bab0ac"};

// A lock keeps its colour from chart to chart: the palette slot its name
// hashes to (FNV-1a), whatever else the chart holds and in whatever order.
// IOLOCK, ILOCK, invalidate_lock and folios 0 to 3 get seven different ones.
std::string lock_colour(const std::string& lock) {
  uint32_t h = 2166136261u;
  for (char c : lock) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return palette[h % (sizeof palette / sizeof *palette)];
}

// What step `index` changed, one line per changed entry: "extents 1: hole -> delalloc".
std::string changes(const TraceView& v, uint32_t index) {
  if (index + 1 >= v.states.size()) return "";
  const nlohmann::ordered_json& before = v.states[index];
  const nlohmann::ordered_json& after = v.states[index + 1];
  std::string h;
  auto line = [&](const std::string& what, const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
    h += "<div>" + escape(what) + ": " + escape(scalar_text(a)) + " &#8594; <b>" + escape(scalar_text(b)) + "</b></div>";
  };
  for (const auto& [key, value] : after.items()) {
    if (!before.contains(key)) continue;
    const nlohmann::ordered_json& old = before[key];
    if (value.is_array() && old.is_array()) {
      for (std::size_t i = 0; i < value.size() && i < old.size(); ++i)
        if (value[i] != old[i]) line(key + " " + std::to_string(i), old[i], value[i]);
    } else if (value != old) {
      line(key, old, value);
    }
  }
  return h;
}

bool in(const std::vector<uint32_t>& list, uint32_t index) {
  return std::find(list.begin(), list.end(), index) != list.end();
}

// The locks of the legend, in order of first appearance in the trace.
std::vector<std::string> legend_locks(const TraceView& v) {
  std::vector<std::string> locks;
  for (const TraceStep& s : v.steps)
    for (const HeldLock& held : s.locks)
      if (std::find(locks.begin(), locks.end(), held.lock) == locks.end()) locks.push_back(held.lock);
  return locks;
}

// The red row: the step that broke the invariant, else the one that saw it broken.
std::size_t broken_row(const TraceView& v) {
  std::size_t broken = v.steps.empty() ? 0 : v.steps.size() - 1;
  for (std::size_t i = 0; v.broken_at && i < v.steps.size(); ++i)
    if (v.steps[i].index == *v.broken_at) broken = i;
  return broken;
}

bool has_hidden_steps(const TraceView& v) { return !v.minimal.empty() && v.minimal.size() < v.steps.size(); }

// Lanes without a minimal step show only with all steps.
std::set<std::string> quiet_lanes(const TraceView& v, const std::vector<std::string>& lanes) {
  std::set<std::string> quiet;
  if (!has_hidden_steps(v)) return quiet;
  for (const std::string& lane : lanes)
    if (std::none_of(v.steps.begin(), v.steps.end(),
                     [&](const TraceStep& s) { return s.thread_name == lane && in(v.minimal, s.index); }))
      quiet.insert(lane);
  return quiet;
}

// One chart being drawn, and what each of its parts needs to know.
class Chart {
 public:
  explicit Chart(const TraceView& v)
      : v_(v), lanes_(lanes_of(v)), locks_of_(lane_locks(v, lanes_)), locks_(legend_locks(v)),
        quiet_(quiet_lanes(v, lanes_)), broken_(broken_row(v)) {
    for (const std::string& lock : locks_) colour_[lock] = lock_colour(lock);
  }

  std::string html() const {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" +
                    escape(v_.title) + "</title>\n<style>" + style + "</style></head><body>\n";
    h += "<h1>" + escape(v_.title) + "</h1>\n" + violation() + legend() + toggle() + table_head();
    std::map<std::string, std::vector<HeldLock>> held_now;  // lane -> held after this step
    for (std::size_t i = 0; i < v_.steps.size(); ++i) {
      held_now[v_.steps[i].thread_name] = v_.steps[i].locks;
      h += row(i, held_now);
      if (h.size() > max_view_bytes) throw ViewTooLarge{};
    }
    h += "</table></div>\n";
    if (!v_.state.empty()) h += state_html(v_.state);
    return h + "</body></html>\n";
  }

 private:
  // The message, the step that broke the invariant and the missing order.
  std::string violation() const {
    std::string seen = v_.steps.empty() ? std::string("?") : std::to_string(v_.steps.back().index);
    std::string at = v_.steps.empty() ? std::string("?") : std::to_string(v_.steps[broken_].index);
    std::string h = "<div class=\"msg\"><b>" + escape(v_.invariant) + "</b> broken at step " + at +
                    (at == seen ? std::string() : ", seen at step " + seen) + ": " + escape(v_.message) +
                    " <a class=\"jump\" href=\"#violation\">&#8595; jump to step " + at + "</a></div>\n";
    if (!v_.steps.empty()) {
      const TraceStep& b = v_.steps[broken_];
      h += "<div class=\"broken\">Step " + at + ", " + escape(b.thread_name) + ": <b>" + escape(b.function) +
           "</b> " + escape(b.point) + " &#8212; " + escape(step_summary_detail(b)) + "</div>\n";
    }
    if (!v_.why.empty()) h += "<p class=\"why\"><b>Missing order:</b> " + escape(v_.why) + "</p>\n";
    return h;
  }

  std::string legend() const {
    if (locks_.empty()) return "";
    std::string h = "<p class=\"legend\">Locks held (pale: shared):";
    for (const std::string& lock : locks_)
      h += "<span class=\"swatch\" style=\"background:" + colour_.at(lock) + "\"></span>" + escape(lock);
    return h + "</p>\n";
  }

  // The switch between the minimal steps and all of them.
  std::string toggle() const {
    if (!has_hidden_steps(v_)) return "";
    return "<input type=\"checkbox\" id=\"all-steps\"/><label class=\"toggle\" for=\"all-steps\"> show all " +
           std::to_string(v_.steps.size()) + " steps (the " + std::to_string(v_.minimal.size()) +
           " shown are those the violation depends on)</label>\n";
  }

  std::string table_head() const {
    std::string h = "<div class=\"scroll\"><table class=\"chart\">\n<tr><th>step</th>";
    for (const std::string& lane : lanes_)
      h += "<th" + (quiet_.count(lane) ? std::string(" class=\"xl\"") : std::string()) + " colspan=\"" +
           std::to_string(locks_of_.at(lane).size() + 1) + "\">" + escape(lane) + "</th>";
    if (!v_.states.empty()) h += "<th>state changed</th>";
    return h + "</tr>\n";
  }

  std::string xl(const std::string& lane) const { return quiet_.count(lane) ? std::string(" xl") : std::string(); }

  std::string row(std::size_t i, std::map<std::string, std::vector<HeldLock>>& held_now) const {
    const TraceStep& s = v_.steps[i];
    bool violating = i == broken_;
    std::string classes = violating ? "violation" : "";
    if (in(v_.racing, s.index)) classes += classes.empty() ? "race" : " race";
    if (s.preemption) classes += classes.empty() ? "preempt" : " preempt";
    if (!v_.minimal.empty() && !in(v_.minimal, s.index)) classes += classes.empty() ? "extra" : " extra";
    std::string h = std::string("<tr") + (classes.empty() ? "" : " class=\"" + classes + "\"") +
                    (violating ? " id=\"violation\"" : "") + "><td class=\"n\">" +
                    (violating ? "<span class=\"mark\">&#10007;</span> " : "") + std::to_string(s.index) + "</td>";
    for (const std::string& lane : lanes_) {
      h += lock_bars(lane, held_now[lane]) + "<td class=\"lane" + xl(lane) + "\">";
      if (lane == s.thread_name) h += step_box(i);
      h += "</td>";
    }
    if (!v_.states.empty()) h += "<td class=\"changes\">" + changes(v_, s.index) + "</td>";
    return h + "</tr>\n";
  }

  // A bar per lock the lane's thread ever holds: coloured while it holds it.
  std::string lock_bars(const std::string& lane, const std::vector<HeldLock>& held) const {
    std::string h;
    for (const std::string& object : locks_of_.at(lane)) {
      auto mode = std::find_if(held.begin(), held.end(), [&](const HeldLock& x) { return x.lock == object; });
      if (mode == held.end()) {
        h += "<td class=\"bar" + xl(lane) + "\"></td>";
      } else {
        h += "<td class=\"bar" + xl(lane) + "\" title=\"" + escape(to_string(*mode)) + "\" style=\"background:" +
             colour_.at(object) + (mode->mode == LockMode::shared ? ";opacity:.45" : "") + "\"></td>";
      }
    }
    return h;
  }

  std::string step_box(std::size_t i) const {
    const TraceStep& s = v_.steps[i];
    bool violating = i == broken_;
    bool seen_here = i + 1 == v_.steps.size() && !violating;
    std::string h = "<div class=\"box\"><b>" + escape(s.function) + "</b> <span class=\"pt\">" + escape(s.point) +
                    "</span><div class=\"what\">" + escape(step_summary_detail(s)) + "</div>";
    if (in(v_.racing, s.index)) h += "<div class=\"race-label\">racing pair</div>";
    if (v_.no_return == s.index)
      h += "<div class=\"noreturn-label\">point of no return: every continuation violates " +
           escape(v_.invariant) + "</div>";
    if (s.preemption && i > 0)
      h += "<div class=\"preempt-label\">preemption: " + escape(v_.steps[i - 1].thread_name) +
           " could have gone on</div>";
    if (violating) h += "<div class=\"mark\">" + escape(v_.invariant) + " broken here</div>";
    if (seen_here) h += "<div class=\"seen-label\">" + escape(v_.invariant) + " seen broken here</div>";
    return h + "</div>";
  }

  const TraceView& v_;
  std::vector<std::string> lanes_;
  std::map<std::string, std::vector<std::string>> locks_of_;  // lane -> the locks it ever holds
  std::vector<std::string> locks_;                            // the legend's
  std::map<std::string, std::string> colour_;
  std::set<std::string> quiet_;
  std::size_t broken_;
};

}  // namespace

std::string render_html(const TraceView& v) { return Chart(v).html(); }

}  // namespace fsmc::reports
