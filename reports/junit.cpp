#include "reports/junit.hpp"

#include <cstdio>

#include "reports/markup.hpp"

namespace fsmc::reports {

namespace {
std::string xml_escape(const std::string& s) { return escape_markup(s); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}
}  // namespace

std::string render_junit(const std::string& suite, const std::vector<JunitCase>& cases) {
  int failures = 0, errors = 0;
  double total = 0;
  for (const JunitCase& c : cases) {
    failures += !c.passed && c.error.empty();
    errors += !c.error.empty();
    total += c.seconds;
  }
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites tests=\"" + std::to_string(cases.size()) + "\" failures=\"" + std::to_string(failures) +
       "\" errors=\"" + std::to_string(errors) + "\">\n";
  x += "  <testsuite name=\"" + xml_escape(suite) + "\" tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"" + seconds(total) + "\">\n";
  for (const JunitCase& c : cases) {
    x += "    <testcase classname=\"fsmc\" name=\"" + xml_escape(c.name) + "\" file=\"" + xml_escape(c.file) +
         "\" time=\"" + seconds(c.seconds) + "\"";
    std::string properties;
    for (const auto& [name, value] : c.properties)
      properties += "        <property name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) + "\"/>\n";
    if (!properties.empty()) properties = "      <properties>\n" + properties + "      </properties>\n";
    if (c.passed && properties.empty()) {
      x += "/>\n";
    } else if (c.passed) {
      x += ">\n" + properties + "    </testcase>\n";
    } else if (!c.error.empty()) {
      x += ">\n" + properties + "      <error message=\"" + xml_escape(c.error) + "\">" + xml_escape(c.error) + "</error>\n    </testcase>\n";
    } else {
      x += ">\n" + properties + "      <failure message=\"" + xml_escape(c.failure) + "\">" + xml_escape(c.failure) +
           (c.details.empty() ? "" : "\n" + xml_escape(c.details)) + "</failure>\n    </testcase>\n";
    }
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

}  // namespace fsmc::reports
