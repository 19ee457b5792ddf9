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

}  // namespace

std::string render_html(const TraceView& v) {
  std::vector<std::string> lanes = lanes_of(v);
  std::map<std::string, std::vector<std::string>> locks_of = lane_locks(v, lanes);
  std::map<std::string, std::vector<HeldLock>> held_now;  // lane -> held after this step

  // The legend lists locks in order of first appearance in the trace.
  std::vector<std::string> locks;
  for (const TraceStep& s : v.steps)
    for (const HeldLock& held : s.locks)
      if (std::find(locks.begin(), locks.end(), held.lock) == locks.end()) locks.push_back(held.lock);
  std::map<std::string, std::string> colour;
  for (const std::string& lock : locks) colour[lock] = lock_colour(lock);
  auto in = [](const std::vector<uint32_t>& list, uint32_t index) {
    return std::find(list.begin(), list.end(), index) != list.end();
  };

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" + escape(v.title) +
                  "</title>\n<style>" + style + "</style></head><body>\n";
  h += "<h1>" + escape(v.title) + "</h1>\n";
  // The red row: the step that broke the invariant, else the one that saw it broken.
  std::size_t broken = v.steps.empty() ? 0 : v.steps.size() - 1;
  for (std::size_t i = 0; v.broken_at && i < v.steps.size(); ++i)
    if (v.steps[i].index == *v.broken_at) broken = i;
  std::string seen = v.steps.empty() ? std::string("?") : std::to_string(v.steps.back().index);
  std::string at = v.steps.empty() ? std::string("?") : std::to_string(v.steps[broken].index);
  h += "<div class=\"msg\"><b>" + escape(v.invariant) + "</b> broken at step " + at +
       (at == seen ? std::string() : ", seen at step " + seen) + ": " + escape(v.message) +
       " <a class=\"jump\" href=\"#violation\">&#8595; jump to step " + at + "</a></div>\n";
  if (!v.steps.empty()) {
    const TraceStep& b = v.steps[broken];
    h += "<div class=\"broken\">Step " + at + ", " + escape(b.thread_name) + ": <b>" + escape(b.function) +
         "</b> " + escape(b.point) + " &#8212; " + escape(step_summary_detail(b)) + "</div>\n";
  }
  if (!v.why.empty()) h += "<p class=\"why\"><b>Missing order:</b> " + escape(v.why) + "</p>\n";
  if (!locks.empty()) {
    h += "<p class=\"legend\">Locks held (pale: shared):";
    for (const std::string& lock : locks)
      h += "<span class=\"swatch\" style=\"background:" + colour[lock] + "\"></span>" + escape(lock);
    h += "</p>\n";
  }

  if (!v.minimal.empty() && v.minimal.size() < v.steps.size())
    h += "<input type=\"checkbox\" id=\"all-steps\"/><label class=\"toggle\" for=\"all-steps\"> show all " +
         std::to_string(v.steps.size()) + " steps (the " + std::to_string(v.minimal.size()) +
         " shown are those the violation depends on)</label>\n";
  // Lanes without a minimal step show only with all steps.
  std::set<std::string> quiet;
  if (!v.minimal.empty() && v.minimal.size() < v.steps.size())
    for (const std::string& lane : lanes)
      if (std::none_of(v.steps.begin(), v.steps.end(),
                       [&](const TraceStep& s) { return s.thread_name == lane && in(v.minimal, s.index); }))
        quiet.insert(lane);
  auto xl = [&](const std::string& lane) { return quiet.count(lane) ? std::string(" xl") : std::string(); };
  h += "<div class=\"scroll\"><table class=\"chart\">\n<tr><th>step</th>";
  for (const std::string& lane : lanes)
    h += "<th" + (quiet.count(lane) ? std::string(" class=\"xl\"") : std::string()) + " colspan=\"" +
         std::to_string(locks_of[lane].size() + 1) + "\">" + escape(lane) + "</th>";
  if (!v.states.empty()) h += "<th>state changed</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    const TraceStep& s = v.steps[i];
    bool violating = i == broken;
    bool seen_here = i + 1 == v.steps.size() && !violating;
    held_now[s.thread_name] = s.locks;
    std::string classes = violating ? "violation" : "";
    if (in(v.racing, s.index)) classes += classes.empty() ? "race" : " race";
    if (s.preemption) classes += classes.empty() ? "preempt" : " preempt";
    if (!v.minimal.empty() && !in(v.minimal, s.index)) classes += classes.empty() ? "extra" : " extra";
    h += std::string("<tr") + (classes.empty() ? "" : " class=\"" + classes + "\"") +
         (violating ? " id=\"violation\"" : "") + "><td class=\"n\">" +
         (violating ? "<span class=\"mark\">&#10007;</span> " : "") + std::to_string(s.index) + "</td>";
    for (const std::string& lane : lanes) {
      const std::vector<HeldLock>& held = held_now[lane];
      for (const std::string& object : locks_of[lane]) {
        auto mode = std::find_if(held.begin(), held.end(), [&](const HeldLock& x) { return x.lock == object; });
        if (mode == held.end()) {
          h += "<td class=\"bar" + xl(lane) + "\"></td>";
        } else {
          h += "<td class=\"bar" + xl(lane) + "\" title=\"" + escape(to_string(*mode)) + "\" style=\"background:" +
               colour[object] + (mode->mode == LockMode::shared ? ";opacity:.45" : "") + "\"></td>";
        }
      }
      h += "<td class=\"lane" + xl(lane) + "\">";
      if (lane == s.thread_name) {
        std::string what = step_summary_detail(s);
        h += "<div class=\"box\"><b>" + escape(s.function) + "</b> <span class=\"pt\">" + escape(s.point) +
             "</span><div class=\"what\">" + escape(what) + "</div>";
        if (in(v.racing, s.index)) h += "<div class=\"race-label\">racing pair</div>";
        if (v.no_return == s.index)
          h += "<div class=\"noreturn-label\">point of no return: every continuation violates " +
               escape(v.invariant) + "</div>";
        if (s.preemption && i > 0)
          h += "<div class=\"preempt-label\">preemption: " + escape(v.steps[i - 1].thread_name) +
               " could have gone on</div>";
        if (violating) h += "<div class=\"mark\">" + escape(v.invariant) + " broken here</div>";
        if (seen_here) h += "<div class=\"seen-label\">" + escape(v.invariant) + " seen broken here</div>";
        h += "</div>";
      }
      h += "</td>";
    }
    if (!v.states.empty()) h += "<td class=\"changes\">" + changes(v, s.index) + "</td>";
    h += "</tr>\n";
    if (h.size() > max_view_bytes) throw ViewTooLarge{};
  }
  h += "</table></div>\n";
  if (!v.state.empty()) h += state_html(v.state);
  return h + "</body></html>\n";
}

}  // namespace fsmc::reports
