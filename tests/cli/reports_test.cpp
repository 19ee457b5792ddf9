// The report writers on their own: JUnit and HTML that parsers accept, the
// terminal view that loses nothing, traces that read back as written, files
// that are replaced whole, and name suggestions.
#include <doctest/doctest.h>

#include <algorithm>

#include "cli/did_you_mean.hpp"
#include "fsmc_process.hpp"
#include "reports/atomic_file.hpp"
#include "reports/junit.hpp"
#include "reports/trace_json.hpp"
#include "reports/view.hpp"
#include "well_formed.hpp"

using namespace fsmc;
using namespace cli_test;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TraceStep step(uint32_t index, const std::string& thread, const std::string& function, OpKind op,
               const std::string& detail, std::vector<std::string> locks) {
  TraceStep s;
  s.index = index;
  s.thread_name = thread;
  s.function = function;
  s.point = "P" + std::to_string(index);
  s.op = op;
  s.object = "obj";
  s.detail = detail;
  for (const std::string& l : locks) s.locks.push_back(parse_held_lock(l));
  return s;
}

// writer takes IOLOCK, mapper takes invalidate_lock shared, writer drops
// IOLOCK, mapper's last step breaks the invariant; "idle" never moves.
reports::TraceView sample_view() {
  reports::TraceView v;
  v.title = "sample [v6.1]";
  v.invariant = "dirty_backed";
  v.message = "page 1 is dirty over a <hole> & lost";
  v.threads = {"writer", "mapper", "idle"};
  v.steps = {
      step(0, "writer", "xfs_file_buffered_write", OpKind::down_write, "", {"IOLOCK_EXCL"}),
      step(1, "mapper", "xfs_filemap_page_mkwrite", OpKind::down_read, "", {"invalidate_lock_SHARED"}),
      step(2, "writer", "xfs_file_buffered_write", OpKind::up_write, "", {}),
      step(3, "mapper", "iomap_page_mkwrite", OpKind::access,
           "page 1: dirty over a hole, which is a long detail that cannot fit in one narrow column of the table",
           {"invalidate_lock_SHARED"}),
  };
  v.state = {{"size", 2}, {"extents", {"hole", "hole"}}, {"cache", {"absent", "dirty"}}, {"reserved", 0}};
  return v;
}

}  // namespace

TEST_CASE("did you mean: near misses get a suggestion, other words none") {
  std::vector<std::string> names = {"dirty_backed", "reservations", "no_lost_data"};
  CHECK(cli::did_you_mean("dirty_backd", names) == "dirty_backed");
  CHECK(cli::did_you_mean("reservation", names) == "reservations");
  CHECK(cli::did_you_mean("deadlock", names) == std::nullopt);
  CHECK(cli::did_you_mean("", {}) == std::nullopt);
}

TEST_CASE("JUnit XML is well-formed, counts failures and escapes what a name or failure may hold") {
  std::vector<reports::JunitCase> cases = {
      {"seed-race", "scenarios/a.json", 0.25, true, "", "", {}, ""},
      {"odd <name> & \"quotes\"", "scenarios/b.json", 1.5, false, "expected pass, found violation {dirty_backed} <&>", "",
       {{"reach M12 after E5 before E6", "not reached"}}, "  dirty_backed: <a> & b\n"},
      {"third", "scenarios/c.json", 0, true, "", "", {{"steps_reached", "2 of 58"}, {"steps_not_reached", "E4' <&>"}}, ""},
  };
  std::string xml = reports::render_junit("fsmc check", cases);
  CHECK(xml_error(xml) == std::nullopt);
  CHECK(xml.find("<testsuite name=\"fsmc check\" tests=\"3\" failures=\"1\"") != std::string::npos);
  CHECK(count(xml, "<testcase ") == 3);
  CHECK(xml.find("<property name=\"steps_not_reached\" value=\"E4&#39; &lt;&amp;&gt;\"/>") != std::string::npos);
  CHECK(count(xml, "<properties>") == 2);
  CHECK(count(xml, "<failure ") == 1);
  CHECK(xml.find("odd &lt;name&gt; &amp; &quot;quotes&quot;") != std::string::npos);
  CHECK(xml.find("&lt;&amp;&gt;\n  dirty_backed: &lt;a&gt; &amp; b\n</failure>") != std::string::npos);
  // The checker itself must catch what it is there for.
  CHECK(xml_error("<a><b></a></b>") != std::nullopt);
  CHECK(xml_error("<a x=\"1 & 2\"/>") != std::nullopt);
  CHECK(xml_error("<a>1 < 2</a>") != std::nullopt);
}

TEST_CASE("the terminal view gives every thread a column, wraps long cells and marks the violating step") {
  std::string text = reports::render_text(sample_view(), 7 + 3 * 33);  // columns of 30
  CHECK(text.find("| writer") != std::string::npos);
  CHECK(text.find("| idle") != std::string::npos);  // never took a step, still a column
  // Every word of the long detail is there: wrapped, not cut.
  for (const char* word : {"long", "detail", "cannot", "fit", "narrow", "column", "table"})
    CHECK(text.find(word) != std::string::npos);
  CHECK(count(text, ">>") == 1);
  std::size_t marked = text.find(">>");
  CHECK(text.compare(marked, 8, ">>    3|") == 0);
  CHECK(text.find("cache: 0=absent 1=dirty") != std::string::npos);
  // No line is wider than the gutter plus three columns of 30.
  std::size_t widest = 0, start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; start = nl + 1, nl = text.find('\n', start))
    if (text.compare(start, 2, "  ") == 0 || text.compare(start, 2, ">>") == 0 || text[start] == ' ')
      widest = std::max(widest, nl - start);
  CHECK(widest <= 7 + 3 * 33);
  CHECK(text.find(" \n") == std::string::npos);  // no trailing blanks
}

TEST_CASE("the HTML chart is well-formed, escapes text and draws lock spans over the steps they cover") {
  std::string html = reports::render_html(sample_view());
  CHECK(xml_error(html) == std::nullopt);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("over a &lt;hole&gt; &amp; lost") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);  // self-contained and static
  CHECK(html.find("http") == std::string::npos);
  // IOLOCK is held by writer after steps 0 and 1 (it drops it at step 2);
  // invalidate_lock by mapper after steps 1, 2 and 3, shared.
  CHECK(count(html, "title=\"IOLOCK_EXCL\"") == 2);
  CHECK(count(html, "title=\"invalidate_lock_SHARED\"") == 3);
  CHECK(count(html, "opacity:.45") == 3);
  CHECK(count(html, "class=\"violation\"") == 1);
  CHECK(html.find("<th colspan=\"1\">idle</th>") != std::string::npos);
  CHECK(html.find("<th>reserved</th>") == std::string::npos);  // a scalar, not a page row
  CHECK(html.find("<th>cache</th><td>absent</td><td>dirty</td>") != std::string::npos);
}

TEST_CASE("a trace reads back as it was written") {
  reports::TraceInfo info;
  info.scenario = "sample";
  info.scenario_file = "scenarios/sample.json";
  info.scenario_json = {{"name", "sample"}, {"threads", {{{"name", "writer"}}, {{"name", "mapper"}}}}};
  info.kernel = "v6.1";
  info.fixes = {{"invalidate_lock_punch", false}};
  info.strategy = "auto";
  info.seed = 3;
  info.executions = 42;
  Counterexample c;
  c.violation.invariant = "dirty_backed";
  c.violation.message = "page 1 is dirty over a hole";
  c.violation.decisions = {0, 1, 1, 0};
  c.steps = sample_view().steps;
  c.state = {{"size", int64_t{2}}, {"cache", std::vector<std::string>{"absent", "dirty"}}};
  nlohmann::ordered_json json = reports::trace_to_json(info, c);

  std::string error;
  auto back = reports::trace_from_json("t.json", nlohmann::ordered_json::parse(json.dump(2)), error);
  REQUIRE(back);
  CHECK(error.empty());
  CHECK(back->invariant == "dirty_backed");
  CHECK(back->message == c.violation.message);
  CHECK(back->decisions == c.violation.decisions);
  CHECK(back->threads == std::vector<std::string>{"writer", "mapper"});
  REQUIRE(back->steps.size() == c.steps.size());
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    CAPTURE(i);
    CHECK(back->steps[i].index == c.steps[i].index);
    CHECK(back->steps[i].thread_name == c.steps[i].thread_name);
    CHECK(back->steps[i].function == c.steps[i].function);
    CHECK(back->steps[i].point == c.steps[i].point);
    CHECK(back->steps[i].op == c.steps[i].op);
    CHECK(back->steps[i].detail == c.steps[i].detail);
    CHECK(back->steps[i].locks == c.steps[i].locks);
  }
  // The contract's fields, in the contract's order, state fields in the model's order.
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  std::vector<std::string> contract = {"fsmc_trace", "scenario", "scenario_file", "kernel", "fixes", "verdict",
                                       "invariant", "message"};
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + contract.size()) == contract);
  CHECK(json["state"].dump() == "{\"size\":2,\"cache\":[\"absent\",\"dirty\"]}");
}

TEST_CASE("reports are replaced whole: no temporary file is left, and a failure leaves the old file") {
  fs::path dir = fresh_dir("atomic");
  std::string error;
  // The folder must exist: a report creates none (a mistyped path is an error).
  CHECK_FALSE(reports::write_atomically((dir / "sub" / "r.json").string(), "first\n", error));
  CHECK(error.find("r.json: cannot write (No such file or directory)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir));
  fs::create_directories(dir / "sub");
  REQUIRE(reports::write_atomically((dir / "sub" / "r.json").string(), "first\n", error));
  REQUIRE(reports::write_atomically((dir / "sub" / "r.json").string(), "second\n", error));
  CHECK(slurp(dir / "sub" / "r.json") == "second\n");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "sub")) names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"r.json"});

  // A directory stands where the report should go: the rename fails.
  fs::create_directories(dir / "sub" / "taken" / "inside");
  CHECK_FALSE(reports::write_atomically((dir / "sub" / "taken").string(), "third\n", error));
  CHECK(error.find("taken: cannot write") != std::string::npos);
  names.clear();
  for (const auto& e : fs::directory_iterator(dir / "sub")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"r.json", "taken"});
}

TEST_CASE("JUnit holds no character XML cannot carry") {
  std::string xml = reports::render_junit("suite", {{"bell\a", "file\x01.json", 1, false, "odd\x1b[0m", "", {}, ""}});
  CHECK(xml_error(xml) == std::nullopt);
  CHECK(xml.find('\a') == std::string::npos);
  CHECK(xml.find('\x1b') == std::string::npos);
  CHECK(xml.find("bell\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("the HTML chart: a lock keeps its colour from chart to chart, the racing pair and the minimal view are marked") {
  reports::TraceView both = sample_view();
  reports::TraceView one = sample_view();
  one.steps.erase(one.steps.begin());  // no IOLOCK in this chart
  one.steps.erase(one.steps.begin() + 1);
  auto colour_of = [](const std::string& html, const std::string& lock) {
    std::size_t at = html.find("title=\"" + lock + "\" style=\"background:");
    REQUIRE(at != std::string::npos);
    at = html.find("background:", at) + 11;
    return html.substr(at, 7);
  };
  CHECK(colour_of(reports::render_html(both), "invalidate_lock_SHARED") ==
        colour_of(reports::render_html(one), "invalidate_lock_SHARED"));
  CHECK(colour_of(reports::render_html(both), "IOLOCK_EXCL") != colour_of(reports::render_html(both), "invalidate_lock_SHARED"));

  reports::TraceView v = sample_view();
  v.racing = {1, 3};
  v.minimal = {1, 3};
  v.why = "writer holding X";
  std::string html = reports::render_html(v);
  CHECK(xml_error(html) == std::nullopt);
  CHECK(count(html, "<tr class=\"race\">") == 1);
  CHECK(count(html, "<tr class=\"violation race\" id=\"violation\">") == 1);
  CHECK(count(html, "<tr class=\"extra\">") == 2);
  CHECK(html.find("show all 4 steps (the 2 shown are those the violation depends on)") != std::string::npos);
  CHECK(html.find("<a class=\"jump\" href=\"#violation\">&#8595; jump to step 3</a>") != std::string::npos);
  CHECK(html.find("<b>Missing order:</b> writer holding X") != std::string::npos);
  // writer has no minimal step: its lane shows only with all steps; idle never moves
  CHECK(html.find("<th class=\"xl\" colspan=\"2\">writer</th>") != std::string::npos);
  CHECK(html.find("<th class=\"xl\" colspan=\"1\">idle</th>") != std::string::npos);
  CHECK(html.find("<th colspan=\"2\">mapper</th>") != std::string::npos);
}

TEST_CASE("the HTML chart shows what each step changed and marks the point of no return") {
  reports::TraceView v = sample_view();
  nlohmann::ordered_json start = {{"size", 2}, {"extents", {"hole", "delalloc"}}, {"cache", {"absent", "absent"}}, {"reserved", 1}};
  nlohmann::ordered_json dirty = start;
  dirty["cache"][1] = "dirty";
  nlohmann::ordered_json punched = dirty;
  punched["extents"][1] = "hole";
  punched["reserved"] = 0;
  v.states = {start, start, dirty, dirty, punched};  // at the start, then after steps 0..3
  v.no_return = 3;
  std::string html = reports::render_html(v);
  CHECK(xml_error(html) == std::nullopt);
  CHECK(html.find("<th>state changed</th>") != std::string::npos);
  CHECK(count(html, "<td class=\"changes\"></td>") == 2);  // steps 0 and 2 changed nothing
  CHECK(html.find("<div>cache 1: absent &#8594; <b>dirty</b></div>") != std::string::npos);
  CHECK(html.find("<div>extents 1: delalloc &#8594; <b>hole</b></div><div>reserved: 1 &#8594; <b>0</b></div>") !=
        std::string::npos);
  CHECK(count(html, "point of no return: every continuation violates dirty_backed") == 1);
}
