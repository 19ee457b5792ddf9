// fsmc matrix: one scenario on every kernel variant, one row each — the
// before/after table of a fix.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"

namespace fsmc::cli {

int matrix_command(const std::string& file, bool json) {
  InputError error;
  auto sf = read_scenario(file, error);
  if (!sf) {
    std::cerr << error.message << "\n";
    return bad_input;
  }
  int exit = ok;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::string table = "kernel                verdict       invariants              executions  exhaustive\n";
  for (const model::KernelInfo& k : model::kernel_table()) {
    ScenarioFile variant = *sf;
    variant.scenario.kernel = k.name;
    Outcome outcome = search_scenario(variant, false, "", false, interrupt_flag());
    const SearchResult& r = outcome.result;
    std::string violated;
    for (const std::string& i : outcome.violated) violated += (violated.empty() ? "" : ",") + i;
    char line[256];
    std::snprintf(line, sizeof line, "%-21s %-13s %-23s %10llu  %s\n", k.name,
                  std::string(to_string(r.verdict)).c_str(), violated.empty() ? "-" : violated.c_str(),
                  static_cast<unsigned long long>(r.stats.executions), r.exhaustive ? "yes" : "no");
    table += line;
    rows.push_back({{"kernel", k.name},
                    {"verdict", to_string(r.verdict)},
                    {"invariants", outcome.violated},
                    {"executions", r.stats.executions},
                    {"exhaustive", r.exhaustive}});
    if (r.verdict == Verdict::violation) exit = violation_found;
    else if (r.verdict == Verdict::inconclusive && exit != violation_found) exit = inconclusive;
    else if (r.verdict == Verdict::vacuous && exit == ok) exit = vacuous_found;
    if (!outcome.internal_error.empty()) {
      std::cerr << "fsmc: internal error: " << outcome.internal_error << " (a bug of fsmc: please report it)\n";
      exit = internal_error;
    }
    if (interrupt_flag()->load()) break;  // the kernels after it are not searched
  }
  if (json) std::cout << nlohmann::ordered_json{{"scenario", sf->scenario.name}, {"kernels", rows}}.dump(2) << "\n";
  else std::cout << sf->scenario.name << "\n" << table;
  return exit;
}

}  // namespace fsmc::cli
