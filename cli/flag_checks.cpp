#include "cli/flag_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "cli/did_you_mean.hpp"

namespace fsmc::cli {

CLI::Validator at_least(double least, const char* what) {
  return CLI::Validator(
      [least, what](std::string& text) -> std::string {
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value < least)
          return std::string("expected ") + what + ", got \"" + text + "\"";
        return "";
      },
      "");
}

CLI::Validator at_most(double most, const char* what) {
  return CLI::Validator(
      [most, what](std::string& text) -> std::string {
        return std::strtod(text.c_str(), nullptr) > most ? std::string("expected ") + what + ", got \"" + text + "\""
                                                         : "";
      },
      "");
}

CLI::Validator a_file() {
  return CLI::Validator(
      [](std::string& file) -> std::string { return file.empty() ? "expected a file name, got \"\"" : ""; }, "");
}

CLI::Validator a_directory() {
  return CLI::Validator(
      [](std::string& dir) -> std::string { return dir.empty() ? "expected a directory, got \"\"" : ""; }, "");
}

CLI::Validator one_of(std::vector<std::string> names, std::string what) {
  return CLI::Validator(
      [names, what](std::string& text) -> std::string {
        if (std::find(names.begin(), names.end(), text) != names.end()) return "";
        std::string m = std::string("expected ") + what + ", got \"" + text + "\"";
        if (auto near = did_you_mean(text, names)) m += "; did you mean \"" + *near + "\"?";
        return m;
      },
      "");
}

}  // namespace fsmc::cli
