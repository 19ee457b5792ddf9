// The user's reference, docs/scenario-format.md, names everything the code
// knows: every operation, invariant, kernel, fix, strategy, scenario field
// and command-line flag. A name added to the code without a word in the
// docs fails here.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "fsmc_process.hpp"
#include "model/kernel_steps.hpp"
#include "model/scenario.hpp"
#include "search/search.hpp"

using namespace fsmc;
using namespace cli_test;

namespace {

const std::string& reference() {
  static const std::string text = slurp(fs::path(FSMC_SOURCE_DIR) / "docs" / "scenario-format.md");
  return text;
}

// A name counts as documented when it appears as code: `name`, or as the
// last part of a dotted field (`file.size`), or as an op's field (`"name"`).
bool documented(const std::string& name) {
  const std::string& t = reference();
  return t.find("`" + name + "`") != std::string::npos || t.find("." + name + "`") != std::string::npos;
}

// The field names the scenario reader accepts, from its own lists of allowed
// keys (r.object(json, path, {"a", "b"})) in cli/scenario_file.cpp.
std::set<std::string> scenario_fields() {
  std::string source = slurp(fs::path(FSMC_SOURCE_DIR) / "cli" / "scenario_file.cpp");
  std::set<std::string> fields;
  std::regex list(R"(r\.object\([^{;]*\{([^}]*)\})");
  std::regex quoted("\"([a-z_]+)\"");
  for (std::sregex_iterator it(source.begin(), source.end(), list), end; it != end; ++it) {
    std::string keys = (*it)[1];
    for (std::sregex_iterator k(keys.begin(), keys.end(), quoted); k != end; ++k) fields.insert((*k)[1]);
  }
  return fields;
}

}  // namespace

TEST_CASE("docs/scenario-format.md names every operation, invariant, kernel and fix") {
  REQUIRE(!reference().empty());
  for (const model::Named& op : model::ops()) CHECK_MESSAGE(documented(op.name), "op " << op.name);
  for (const model::Named& i : model::invariants()) CHECK_MESSAGE(documented(i.name), "invariant " << i.name);
  for (const model::KernelInfo& k : model::kernels()) CHECK_MESSAGE(documented(k.name), "kernel " << k.name);
  for (const model::Named& f : model::fixes()) CHECK_MESSAGE(documented(f.name), "fix " << f.name);
}

TEST_CASE("docs/scenario-format.md names every strategy and verdict") {
  for (const StrategyEntry& s : strategies()) {
    CHECK(parse_strategy(s.name) == s.kind);
    CHECK(to_string(s.kind) == s.name);
    CHECK_MESSAGE(documented(std::string(s.name)), "strategy " << s.name);
  }
  CHECK(strategies().size() == 6);
  for (Verdict v : {Verdict::pass, Verdict::bounded, Verdict::violation, Verdict::inconclusive, Verdict::vacuous})
    CHECK_MESSAGE(documented(std::string(to_string(v))), "verdict " << to_string(v));
}

TEST_CASE("docs/scenario-format.md names every field a scenario file may have") {
  std::set<std::string> fields = scenario_fields();
  // the top level, file, search, expect, and the operations' fields at least
  for (const char* known : {"fsmc", "kernel", "threads", "free_blocks", "max_executions", "copy", "sync", "size"})
    CHECK(fields.count(known) == 1);
  for (const std::string& f : fields) CHECK_MESSAGE(documented(f), "scenario field " << f);
}

TEST_CASE("docs/scenario-format.md names every command and flag of fsmc --help-all") {
  Result help = cli_test::fsmc("--help-all");
  REQUIRE(help.exit == 0);
  std::set<std::string> flags;
  std::regex flag("--[a-z][a-z-]*");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), flag), end; it != end; ++it) flags.insert(it->str());
  CHECK(flags.count("--max-executions") == 1);
  CHECK(flags.count("--junit") == 1);
  for (const std::string& f : flags) CHECK_MESSAGE(reference().find(f) != std::string::npos, "flag " << f);
  for (const char* command : {"run", "check", "replay", "show", "explain", "matrix", "list", "merge"}) {
    CHECK_MESSAGE(help.out.find(command) != std::string::npos, "fsmc --help-all lists " << command);
    CHECK_MESSAGE(reference().find(std::string("### fsmc ") + command) != std::string::npos, "command " << command);
  }
}

TEST_CASE("docs/kernel-steps.md explains every step id a reach goal may name") {
  std::string steps = slurp(fs::path(FSMC_SOURCE_DIR) / "docs" / "kernel-steps.md");
  for (const std::string& id : model::kernel_steps())
    CHECK_MESSAGE(steps.find("\n| " + id + " |") != std::string::npos, "step id " << id);
}
