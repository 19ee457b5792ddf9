// Escaping text for HTML and XML reports.
#pragma once

#include <string>

namespace fsmc::reports {

// & < > " ' as entities: safe in element text and in quoted attributes;
// control characters XML cannot hold become U+FFFD.
inline std::string escape_markup(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      // XML has no way to write other control characters, even as references.
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

}  // namespace fsmc::reports
