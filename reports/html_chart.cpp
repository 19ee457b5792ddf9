// The HTML view of a trace: a self-contained sequence chart (no scripts, no
// external files) with one lane per thread, a bar beside each lane for every
// lock the thread holds, the violating step marked, and the state at the
// violation as a table of pages.
#include <algorithm>
#include <map>
#include <set>

#include "reports/markup.hpp"
#include "reports/view.hpp"

namespace fsmc::reports {

namespace {

std::string escape(const std::string& s) { return escape_markup(s); }

// The model names a lock by its object and mode ("IOLOCK_EXCL"); one lock
// keeps one colour whichever mode it is held in.
std::string lock_object(const std::string& held) {
  for (const char* mode : {"_EXCL", "_SHARED"}) {
    std::string suffix = mode;
    if (held.size() > suffix.size() && held.compare(held.size() - suffix.size(), suffix.size(), suffix) == 0)
      return held.substr(0, held.size() - suffix.size());
  }
  return held;
}

bool shared_mode(const std::string& held) { return held.size() > 7 && held.ends_with("_SHARED"); }

const char* const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948",
                               "#76b7b2", "#ff9da7", "#9c755f", "#e15759", "#bab0ac"};

// For every lane, the locks its thread ever holds, in order of first use.
// (What a lane holds at a step is tracked while drawing: a copy per step
// would cost steps times lanes.)
std::map<std::string, std::vector<std::string>> lane_locks(const TraceView& v, const std::vector<std::string>& lanes) {
  std::map<std::string, std::vector<std::string>> locks;
  for (const std::string& lane : lanes) locks[lane];
  for (const TraceStep& s : v.steps) {
    std::vector<std::string>& mine = locks[s.thread_name];
    for (const std::string& held : s.locks)
      if (std::find(mine.begin(), mine.end(), lock_object(held)) == mine.end()) mine.push_back(lock_object(held));
  }
  return locks;
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
    "table.chart{border-collapse:collapse}"
    ".chart th{position:sticky;top:0;background:#f4f4f4;padding:4px 8px;border-bottom:2px solid #999}"
    ".chart td{padding:0;vertical-align:top}"
    ".chart td.n{color:#999;text-align:right;padding:3px 8px;font-size:12px}"
    ".chart td.bar{width:6px;min-width:6px;border-left:1px solid #fff}"
    ".chart td.lane{min-width:16em;max-width:26em;border-left:1px dashed #ccc;padding:2px 6px}"
    ".box{border:1px solid #bbb;border-radius:4px;background:#fafafa;padding:3px 6px;font-size:13px}"
    ".box .pt{color:#888;font-size:11px}.box .what{color:#444}"
    "tr.violation td{background:#fde8e8}tr.violation .box{border:2px solid #c0392b;background:#fff}"
    ".mark{color:#c0392b;font-weight:bold}"
    ".legend span.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}"
    "table.state{border-collapse:collapse;font-size:13px}"
    ".state td,.state th{border:1px solid #ccc;padding:3px 8px}.state th{background:#f4f4f4}";

}  // namespace

std::string render_html(const TraceView& v) {
  std::vector<std::string> lanes = lanes_of(v);
  std::map<std::string, std::vector<std::string>> locks_of = lane_locks(v, lanes);
  std::map<std::string, std::set<std::string>> held_now;  // lane -> held (with mode) after this step

  // One colour per lock object, in order of first appearance in the trace.
  std::vector<std::string> locks;
  std::map<std::string, std::string> colour;
  for (const TraceStep& s : v.steps)
    for (const std::string& held : s.locks)
      if (!colour.count(lock_object(held))) {
        locks.push_back(lock_object(held));
        colour[locks.back()] = palette[(locks.size() - 1) % (sizeof palette / sizeof *palette)];
      }

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" + escape(v.title) +
                  "</title>\n<style>" + style + "</style></head><body>\n";
  h += "<h1>" + escape(v.title) + "</h1>\n";
  h += "<div class=\"msg\"><b>" + escape(v.invariant) + "</b> violated at step " +
       (v.steps.empty() ? std::string("?") : std::to_string(v.steps.back().index)) + ": " + escape(v.message) +
       "</div>\n";
  if (!locks.empty()) {
    h += "<p class=\"legend\">Locks held (pale: shared):";
    for (const std::string& lock : locks)
      h += "<span class=\"swatch\" style=\"background:" + colour[lock] + "\"></span>" + escape(lock);
    h += "</p>\n";
  }

  h += "<table class=\"chart\">\n<tr><th>step</th>";
  for (const std::string& lane : lanes)
    h += "<th colspan=\"" + std::to_string(locks_of[lane].size() + 1) + "\">" + escape(lane) + "</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    const TraceStep& s = v.steps[i];
    bool violating = i + 1 == v.steps.size();
    held_now[s.thread_name] = std::set<std::string>(s.locks.begin(), s.locks.end());
    h += std::string("<tr") + (violating ? " class=\"violation\"" : "") + "><td class=\"n\">" +
         (violating ? "<span class=\"mark\">&#10007;</span> " : "") + std::to_string(s.index) + "</td>";
    for (const std::string& lane : lanes) {
      const std::set<std::string>& held = held_now[lane];
      for (const std::string& object : locks_of[lane]) {
        auto mode = std::find_if(held.begin(), held.end(), [&](const std::string& x) { return lock_object(x) == object; });
        if (mode == held.end()) {
          h += "<td class=\"bar\"></td>";
        } else {
          h += "<td class=\"bar\" title=\"" + escape(*mode) + "\" style=\"background:" + colour[object] +
               (shared_mode(*mode) ? ";opacity:.45" : "") + "\"></td>";
        }
      }
      h += "<td class=\"lane\">";
      if (lane == s.thread_name) {
        std::string what = s.detail.empty() ? std::string(to_string(s.op)) + " " + s.object : s.detail;
        h += "<div class=\"box\"><b>" + escape(s.function) + "</b> <span class=\"pt\">" + escape(s.point) +
             "</span><div class=\"what\">" + escape(what) + "</div>";
        if (violating) h += "<div class=\"mark\">" + escape(v.invariant) + " violated</div>";
        h += "</div>";
      }
      h += "</td>";
    }
    h += "</tr>\n";
    if (h.size() > max_view_bytes) throw ViewTooLarge{};
  }
  h += "</table>\n";
  if (!v.state.empty()) h += state_html(v.state);
  return h + "</body></html>\n";
}

}  // namespace fsmc::reports
