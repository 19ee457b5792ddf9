// A small XML well-formedness check, enough to know that a JUnit file or an
// HTML chart will not trip up the program that reads it: tags nest and close,
// attribute values are quoted, and every '&' starts an entity.
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace cli_test {

namespace detail {

inline bool entity_at(const std::string& s, std::size_t at) {
  std::size_t end = s.find(';', at);
  if (end == std::string::npos || end - at > 10) return false;
  std::string name = s.substr(at + 1, end - at - 1);
  if (name == "lt" || name == "gt" || name == "amp" || name == "quot" || name == "apos") return true;
  if (name.size() > 1 && name[0] == '#')
    return name.find_first_not_of("0123456789", 1) == std::string::npos;
  return false;
}

}  // namespace detail

// nullopt when well-formed, else what is wrong and where.
inline std::optional<std::string> xml_error(const std::string& s) {
  std::vector<std::string> open;
  std::size_t i = 0;
  bool root_seen = false;
  while (i < s.size()) {
    if (s[i] == '&') {
      if (!detail::entity_at(s, i)) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s[i] == '>') return "bare > in text at " + std::to_string(i);
    if (s[i] != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s.compare(i, 2, "<?") == 0 || s.compare(i, 2, "<!") == 0) {  // declaration, doctype
      std::size_t end = s.find('>', i);
      if (end == std::string::npos) return "unclosed declaration at " + std::to_string(i);
      i = end + 1;
      continue;
    }
    bool closing = s.compare(i, 2, "</") == 0;
    std::size_t at = i + (closing ? 2 : 1);
    std::size_t name_end = at;
    while (name_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '-' ||
                                   s[name_end] == '_' || s[name_end] == ':'))
      ++name_end;
    std::string name = s.substr(at, name_end - at);
    if (name.empty()) return "a tag without a name at " + std::to_string(i);
    std::size_t k = name_end;
    while (true) {  // attributes
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
      if (k >= s.size()) return "unclosed tag <" + name + ">";
      if (s[k] == '>' || s.compare(k, 2, "/>") == 0) break;
      if (closing) return "attributes in the closing tag of " + name;
      std::size_t eq = s.find('=', k);
      if (eq == std::string::npos || eq + 1 >= s.size() || (s[eq + 1] != '"' && s[eq + 1] != '\''))
        return "an unquoted attribute in <" + name + ">";
      std::size_t close = s.find(s[eq + 1], eq + 2);
      if (close == std::string::npos) return "an unterminated attribute in <" + name + ">";
      for (std::size_t c = eq + 2; c < close; ++c) {
        if (s[c] == '<') return "< inside an attribute of <" + name + ">";
        if (s[c] == '&' && !detail::entity_at(s, c)) return "bare & inside an attribute of <" + name + ">";
      }
      k = close + 1;
    }
    bool empty = s.compare(k, 2, "/>") == 0;
    i = k + (empty ? 2 : 1);
    if (closing) {
      if (open.empty() || open.back() != name) return "</" + name + "> closes " + (open.empty() ? "nothing" : "<" + open.back() + ">");
      open.pop_back();
    } else if (!empty) {
      if (open.empty() && root_seen) return "a second root element <" + name + ">";
      root_seen = true;
      open.push_back(name);
    }
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  if (!root_seen) return "no root element";
  return std::nullopt;
}

}  // namespace cli_test
