// JUnit XML for `fsmc check`: one testcase per scenario, read by common CI systems.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fsmc::reports {

struct JunitCase {
  std::string name;
  std::string file;
  double seconds = 0;
  bool passed = true;
  std::string failure;  // expected vs found, when not passed
  std::string error;    // why it has no verdict (an interrupt), when not passed and not failed
  std::vector<std::pair<std::string, std::string>> properties;  // name, value: what the search reached
  std::string details;  // below a failure: each violation's message, each trace's path
};

std::string render_junit(const std::string& suite, const std::vector<JunitCase>& cases);

}  // namespace fsmc::reports
