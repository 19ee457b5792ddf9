// Escaping text for HTML and XML reports.
#pragma once

#include <string>

namespace fsmc::reports {

// & < > " ' as entities: safe in element text and in quoted attributes.
inline std::string escape_markup(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace fsmc::reports
