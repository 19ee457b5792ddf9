// The user's reference, docs/scenario-format.md, names everything the code
// knows: every operation and its fields, invariant, kernel, fix, extent and
// cache state (all from the model's tables), strategy, scenario field and
// command-line flag. A name added to the code without a word in the docs
// fails here; so does an op field that fsmc --help and fsmc list ops leave out.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "fsmc_process.hpp"
#include "model/invariants.hpp"
#include "model/kernel_steps.hpp"
#include "model/ops.hpp"
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

// The field names the scenario reader accepts: its own lists of allowed keys
// (r.object(json, path, {"a", "b"})) in cli/scenario_file.cpp, and every
// op's fields from the ops table.
std::set<std::string> scenario_fields() {
  std::string source = slurp(fs::path(FSMC_SOURCE_DIR) / "cli" / "scenario_file.cpp");
  std::set<std::string> fields;
  std::regex list(R"(r\.object\([^{;]*\{([^}]*)\})");
  std::regex quoted("\"([a-z_]+)\"");
  for (std::sregex_iterator it(source.begin(), source.end(), list), end; it != end; ++it) {
    std::string keys = (*it)[1];
    for (std::sregex_iterator k(keys.begin(), keys.end(), quoted); k != end; ++k) fields.insert((*k)[1]);
  }
  for (const model::OpInfo& op : model::op_table())
    for (const model::OpField& f : op.fields) fields.insert(f.name);
  return fields;
}

}  // namespace

TEST_CASE("docs/scenario-format.md names every operation, invariant, kernel, fix and state of the model's tables") {
  REQUIRE(!reference().empty());
  for (const model::OpInfo& op : model::op_table()) {
    CHECK_MESSAGE(documented(op.name), "op " << op.name);
    // The op's row of the Operations table names each of its fields.
    std::size_t row = reference().find("| `" + std::string(op.name) + "` |");
    REQUIRE_MESSAGE(row != std::string::npos, "op " << op.name << " has a row in the Operations table");
    std::string line = reference().substr(row, reference().find('\n', row) - row);
    for (const model::OpField& f : op.fields)
      CHECK_MESSAGE(line.find("`" + std::string(f.name) + "`") != std::string::npos, "op " << op.name << " field " << f.name);
  }
  for (const model::InvariantInfo& i : model::invariant_table()) CHECK_MESSAGE(documented(i.name), "invariant " << i.name);
  for (const model::KernelInfo& k : model::kernel_table()) CHECK_MESSAGE(documented(k.name), "kernel " << k.name);
  for (const model::FixInfo& f : model::fix_table()) {
    CHECK_MESSAGE(documented(f.name), "fix " << f.name);
    CHECK_MESSAGE(reference().find(std::string(f.commits).substr(0, 8)) != std::string::npos, "commit of fix " << f.name);
  }
  // States appear as the JSON strings they are: "hole".
  auto quoted = [](const std::string& name) { return reference().find("`\"" + name + "\"`") != std::string::npos; };
  for (const auto& e : model::extent_state_names) CHECK_MESSAGE(quoted(e.name), "extent state " << e.name);
  for (const auto& c : model::cache_state_names) CHECK_MESSAGE(quoted(c.name), "cache state " << c.name);
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

TEST_CASE("list ops and --help give every op's fields with type, default and whether \"any\" is accepted") {
  Result list = cli_test::fsmc("list ops");
  Result help = cli_test::fsmc("--help");
  REQUIRE(list.exit == 0);
  REQUIRE(help.exit == 0);
  for (const model::OpInfo& op : model::op_table()) {
    CAPTURE(op.name);
    CHECK(list.out.find(std::string(op.name) + "\t" + op.description + "\n") != std::string::npos);
    CHECK(help.out.find(std::string(op.name) + "\t" + op.description + "\n") != std::string::npos);
    for (const model::OpField& f : op.fields) {
      std::string line = "\t" + model::field_summary(f) + "\n";
      CHECK(list.out.find(line) != std::string::npos);
      CHECK(help.out.find(line) != std::string::npos);
    }
  }
  CHECK(list.out.find("\tcopy (integer or \"any\"; default: all of it): ") != std::string::npos);
  CHECK(list.out.find("\tsync (boolean; default: false)") != std::string::npos);
  CHECK(list.out.find("\tsize (integer; required): ") != std::string::npos);
}

TEST_CASE("list kernels gives each fix with its commits and the variants that contain it, from the tables") {
  Result kernels = cli_test::fsmc("list kernels");
  REQUIRE(kernels.exit == 0);
  for (const model::FixInfo& f : model::fix_table()) {
    CAPTURE(f.name);
    std::size_t at = kernels.out.find("  " + std::string(f.name) + "\t" + f.commits + ": ");
    REQUIRE(at != std::string::npos);
    std::string line = kernels.out.substr(at, kernels.out.find('\n', at) - at);
    std::string in;
    for (const model::KernelInfo& k : model::kernel_table())
      if (k.fixes.test(static_cast<std::size_t>(f.fix))) in += (in.empty() ? "" : ", ") + std::string(k.name);
    CHECK(line.ends_with("(in " + (in.empty() ? std::string("no variant") : in) + ")"));
  }
  CHECK(kernels.out.find("(in v6.1+198dd8ae, v6.2, v6.2+8ac5b996)") != std::string::npos);
}
