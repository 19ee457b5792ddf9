#include "reports/view.hpp"

#include <algorithm>

namespace fsmc::reports {

namespace {

std::vector<std::string> threads_of(const TraceView& v) {
  std::vector<std::string> names;
  for (const TraceStep& s : v.steps)
    if (std::find(names.begin(), names.end(), s.thread_name) == names.end()) names.push_back(s.thread_name);
  return names;
}

std::string cell(const TraceStep& s) {
  std::string text = s.function + (s.point.empty() ? "" : " " + s.point);
  if (!s.detail.empty()) text += ": " + s.detail;
  else if (!s.object.empty()) text += ": " + std::string(to_string(s.op)) + " " + s.object;
  return text;
}

std::string fit(std::string text, std::size_t width) {
  if (text.size() > width) text = text.substr(0, width - 1) + "~";
  return text + std::string(width - text.size(), ' ');
}

std::string escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

std::string render_text(const TraceView& v, std::size_t width) {
  std::vector<std::string> names = threads_of(v);
  std::string out = v.title + ": " + v.invariant + " violated\n";
  out += "      ";
  for (const std::string& n : names) out += "| " + fit(n, width) + " ";
  out += "\n";
  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    const TraceStep& s = v.steps[i];
    bool last = i + 1 == v.steps.size();
    std::string num = std::to_string(s.index);
    out += (last ? ">>" : "  ") + std::string(4 - std::min<std::size_t>(4, num.size()), ' ') + num;
    for (const std::string& n : names) out += "| " + fit(n == s.thread_name ? cell(s) : "", width) + " ";
    out += "\n";
  }
  out += ">> " + v.message + "\n";
  if (!v.state.empty()) out += "state: " + v.state.dump() + "\n";
  return out;
}

std::string render_html(const TraceView& v) {
  std::vector<std::string> names = threads_of(v);
  std::string h =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(v.title) +
      "</title>\n<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:13px}"
      "th{background:#eee}.locks{color:#777;font-size:11px}.bad{background:#fdd}"
      ".step{color:#999;text-align:right}.msg{background:#fdd;padding:.5em;margin:1em 0}</style></head><body>\n";
  h += "<h1>" + escape(v.title) + "</h1>\n<div class=\"msg\"><b>" + escape(v.invariant) + "</b>: " + escape(v.message) +
       "</div>\n<table><tr><th>step</th>";
  for (const std::string& n : names) h += "<th>" + escape(n) + "</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    const TraceStep& s = v.steps[i];
    h += std::string("<tr") + (i + 1 == v.steps.size() ? " class=\"bad\"" : "") + "><td class=\"step\">" +
         std::to_string(s.index) + "</td>";
    for (const std::string& n : names) {
      h += "<td>";
      if (n == s.thread_name) {
        h += "<b>" + escape(s.function) + "</b> " + escape(s.point) + "<br>" + escape(s.detail);
        std::string locks;
        for (const std::string& l : s.locks) locks += (locks.empty() ? "" : ", ") + l;
        if (!locks.empty()) h += "<div class=\"locks\">holds " + escape(locks) + "</div>";
      }
      h += "</td>";
    }
    h += "</tr>\n";
  }
  h += "</table>\n<h2>State at the violation</h2><pre>" + escape(v.state.dump(2)) + "</pre>\n</body></html>\n";
  return h;
}

}  // namespace fsmc::reports
