#include "cli/scenario_file.hpp"

#include <algorithm>
#include <cctype>

#include "cli/did_you_mean.hpp"
#include "cli/input_file.hpp"
#include "cli/strict_json.hpp"
#include "model/inode.hpp"
#include "reports/json_syntax.hpp"

namespace fsmc::cli {

using json = nlohmann::ordered_json;

namespace {

// Thrown inside the parser only; read_scenario turns it into an InputError.
struct Bad {
  std::string path;
  std::string message;
  bool trace = false;  // the file is a trace, not a scenario
};

std::string kind_of(const json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number_integer() || j.is_number_unsigned()) return "the number " + j.dump();
  if (j.is_number()) return "the number " + j.dump();
  if (j.is_string()) return "the string " + shown_text(j.get<std::string>());
  if (j.is_array()) return "an array";
  return "an object";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

template <class T>
std::vector<std::string> names_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const T& i : items) out.push_back(i.name);
  return out;
}

class Reader {
 public:
  void object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    if (!j.is_object()) throw Bad{path, "expected an object, got " + kind_of(j)};
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& [key, value] : j.items())
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        std::string m = "unknown field (expected one of " + join(names) + ")";
        if (auto near = did_you_mean(key, names)) m += "; did you mean \"" + *near + "\"?";
        throw Bad{at(path, key), m};
      }
  }

  uint64_t integer(const json& j, const std::string& path, uint64_t lo, uint64_t hi) {
    if (!j.is_number_integer() && !j.is_number_unsigned())
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + kind_of(j)};
    if (j.is_number_integer() && j.get<int64_t>() < 0)
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + j.dump()};
    uint64_t v = j.get<uint64_t>();
    if (v < lo || v > hi)
      throw Bad{path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + j.dump()};
    return v;
  }

  double number(const json& j, const std::string& path) {
    if (!j.is_number() || j.get<double>() < 0) throw Bad{path, "expected a non-negative number, got " + kind_of(j)};
    return j.get<double>();
  }

  std::string string(const json& j, const std::string& path) {
    if (!j.is_string()) throw Bad{path, "expected a string, got " + kind_of(j)};
    return j.get<std::string>();
  }

  bool boolean(const json& j, const std::string& path) {
    if (!j.is_boolean()) throw Bad{path, "expected true or false, got " + kind_of(j)};
    return j.get<bool>();
  }

  // A string that must be one of `names` (with a suggestion for typos).
  std::string name(const json& j, const std::string& path, const std::vector<std::string>& names, const char* what) {
    std::string s = string(j, path);
    if (std::find(names.begin(), names.end(), s) != names.end()) return s;
    std::string m = "unknown " + std::string(what) + " " + shown_text(s) + " (expected one of " + join(names) + ")";
    if (auto near = did_you_mean(s, names)) m += "; did you mean \"" + *near + "\"?";
    throw Bad{path, m};
  }

  const json& array(const json& j, const std::string& path, std::size_t lo, std::size_t hi, const char* of) {
    if (!j.is_array()) throw Bad{path, std::string("expected an array of ") + of + ", got " + kind_of(j)};
    if (j.size() < lo || j.size() > hi)
      throw Bad{path, "expected " + std::to_string(lo) + " to " + std::to_string(hi) + " " + of + ", got " +
                          std::to_string(j.size())};
    return j;
  }

  static std::string at(const std::string& path, const std::string& key) {
    return path.empty() ? path_key(key) : path + "." + path_key(key);
  }
  static std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
};

const std::vector<std::string> extent_names = {"hole", "delalloc", "unwritten", "written"};
const std::vector<std::string> cache_names = {"absent", "clean", "dirty"};

// A byte count that must be a multiple of 512 within [lo, hi]; `why` says where hi comes from.
uint64_t sectors(const json& j, const std::string& path, uint64_t lo, uint64_t hi, const std::string& why) {
  std::string want = "expected a multiple of 512 from " + std::to_string(lo) + " to " + std::to_string(hi) + why;
  if (!j.is_number_integer() && !j.is_number_unsigned()) throw Bad{path, want + ", got " + kind_of(j)};
  if (j.is_number_integer() && j.get<int64_t>() < 0) throw Bad{path, want + ", got " + j.dump()};
  uint64_t v = j.get<uint64_t>();
  if (v < lo || v > hi || v % model::sector_size) throw Bad{path, want + ", got " + j.dump()};
  return v;
}

// write's "offset" and "length": a byte range of whole sectors inside file.pages.
void read_byte_range(const json& j, const std::string& path, uint32_t pages, model::OpSpec& op) {
  if (j.contains("page") || j.contains("pages"))
    throw Bad{Reader::at(path, j.contains("page") ? "page" : "pages"),
              "expected either page and pages or offset and length, not both"};
  if (!j.contains("offset")) throw Bad{Reader::at(path, "offset"), "missing (expected the first byte, a multiple of 512)"};
  if (!j.contains("length")) throw Bad{Reader::at(path, "length"), "missing (expected the byte count, a multiple of 512)"};
  uint64_t limit = uint64_t{pages} * model::page_size;
  std::string inside = " (inside file.pages, " + std::to_string(pages) + " pages of 4096 bytes)";
  op.offset = sectors(j["offset"], Reader::at(path, "offset"), 0, limit - model::sector_size, inside);
  op.length = sectors(j["length"], Reader::at(path, "length"), model::sector_size, limit - op.offset, inside);
}

model::OpSpec read_op(Reader& r, const json& j, const std::string& path, uint32_t pages) {
  if (!j.is_object()) throw Bad{path, "expected an object, got " + kind_of(j)};
  if (!j.contains("op")) throw Bad{Reader::at(path, "op"), "missing (expected the name of an operation)"};
  model::OpSpec op;
  op.op = r.name(j["op"], Reader::at(path, "op"), names_of(model::ops()), "operation");
  const std::string& o = op.op;
  auto page_field = [&](bool required) {
    if (!j.contains("page")) {
      if (required) throw Bad{Reader::at(path, "page"), "missing (expected a page below file.pages (" + std::to_string(pages) + "))"};
      return;
    }
    const json& p = j["page"];
    if ((p.is_number_integer() || p.is_number_unsigned()) && p.get<int64_t>() >= static_cast<int64_t>(pages))
      throw Bad{Reader::at(path, "page"), "expected a page below file.pages (" + std::to_string(pages) + "), got " + p.dump()};
    op.page = static_cast<uint32_t>(r.integer(p, Reader::at(path, "page"), 0, pages - 1));
  };
  auto pages_field = [&]() {
    if (!j.contains("pages")) return;
    op.pages = static_cast<uint32_t>(r.integer(j["pages"], Reader::at(path, "pages"), 1, 64));
    if (op.page + op.pages > pages)
      throw Bad{Reader::at(path, "pages"), "expected the range to end within file.pages (" + std::to_string(pages) +
                                                "), got pages " + std::to_string(op.page) + ".." +
                                                std::to_string(op.page + op.pages - 1)};
  };
  if (o == "write") {
    r.object(j, path, {"op", "page", "pages", "copy", "offset", "length"});
    op.byte_range = j.contains("offset") || j.contains("length");
    if (op.byte_range) {
      read_byte_range(j, path, pages, op);
    } else {
      page_field(true);
      pages_field();
    }
    if (j.contains("copy")) {
      const json& c = j["copy"];
      const char* unit = op.byte_range ? "a byte count (a multiple of 512)" : "a page count";
      if (c.is_string() && c.get<std::string>() == "any") op.copy_any = true;
      else if (c.is_string()) throw Bad{Reader::at(path, "copy"), std::string("expected ") + unit + " or \"any\", got " + shown_text(c.get<std::string>())};
      else if (op.byte_range) op.copy = sectors(c, Reader::at(path, "copy"), 0, op.length, " (at most length) or \"any\"");
      else op.copy = static_cast<uint32_t>(r.integer(c, Reader::at(path, "copy"), 0, op.pages));
    }
  } else if (o == "mmap_write" || o == "mmap_read" || o == "reclaim") {
    r.object(j, path, {"op", "page"});
    page_field(true);
  } else if (o == "read" || o == "punch_hole") {
    r.object(j, path, {"op", "page", "pages"});
    page_field(true);
    pages_field();
  } else if (o == "writeback") {
    r.object(j, path, {"op", "page", "pages", "sync", "fail"});
    op.ranged = j.contains("page") || j.contains("pages");
    page_field(false);
    if (op.ranged && !j.contains("pages")) op.pages = 1;
    pages_field();
    if (j.contains("sync")) op.sync = r.boolean(j["sync"], Reader::at(path, "sync"));
    if (j.contains("fail")) {
      const json& f = j["fail"];
      std::string fp = Reader::at(path, "fail");
      std::string want = "expected a page below file.pages (" + std::to_string(pages) + ") or \"any\", got ";
      bool page = (f.is_number_integer() || f.is_number_unsigned()) && f.get<int64_t>() >= 0 &&
                  f.get<uint64_t>() < pages;
      if (f.is_string() && f.get<std::string>() == "any") op.fail_any = true;
      else if (page) op.fail = f.get<uint32_t>();
      else throw Bad{fp, want + (f.is_string() ? shown_text(f.get<std::string>()) : f.is_number() ? f.dump() : kind_of(f))};
    }
  } else if (o == "fsync") {
    r.object(j, path, {"op"});
  } else if (o == "truncate") {
    r.object(j, path, {"op", "size"});
    if (!j.contains("size")) throw Bad{Reader::at(path, "size"), "missing (expected the new size in pages)"};
    op.size = static_cast<uint32_t>(r.integer(j["size"], Reader::at(path, "size"), 0, pages));
  }
  return op;
}

void read_file_section(Reader& r, const json& j, model::FileSpec& f) {
  r.object(j, "file", {"size", "pages", "extents", "cache", "free_blocks"});
  if (j.contains("size")) f.size = static_cast<uint32_t>(r.integer(j["size"], "file.size", 0, 64));
  f.pages = f.size;
  if (j.contains("pages")) f.pages = static_cast<uint32_t>(r.integer(j["pages"], "file.pages", 1, model::max_pages));
  if (f.pages == 0) throw Bad{"file.pages", "expected at least one page (give file.size or file.pages)"};
  if (f.size > f.pages)
    throw Bad{"file.size", "expected at most file.pages (" + std::to_string(f.pages) + "), got " + std::to_string(f.size)};
  if (j.contains("extents")) {
    const json& a = r.array(j["extents"], "file.extents", 0, f.pages, "extent states");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string s = r.name(a[i], Reader::at("file.extents", i), extent_names, "extent state");
      f.extents.push_back(static_cast<model::ExtentState>(std::find(extent_names.begin(), extent_names.end(), s) - extent_names.begin()));
    }
  }
  if (j.contains("cache")) {
    const json& a = r.array(j["cache"], "file.cache", 0, f.pages, "cache states");
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string s = r.name(a[i], Reader::at("file.cache", i), cache_names, "cache state");
      f.cache.push_back(static_cast<model::CacheState>(std::find(cache_names.begin(), cache_names.end(), s) - cache_names.begin()));
    }
  }
  if (j.contains("free_blocks")) f.free_blocks = r.integer(j["free_blocks"], "file.free_blocks", 0, UINT32_MAX);
  // The initial state must be one the kernel could be in.
  for (uint32_t p = 0; p < f.pages; ++p) {
    auto e = p < f.extents.size() ? f.extents[p] : model::ExtentState::hole;
    auto c = p < f.cache.size() ? f.cache[p] : model::CacheState::absent;
    std::string at = Reader::at("file.cache", p);
    if (c == model::CacheState::dirty && e == model::ExtentState::hole)
      throw Bad{at, "a dirty page must lie over a delalloc, unwritten or written extent, but file.extents[" +
                        std::to_string(p) + "] is a hole"};
    if (c != model::CacheState::absent && p >= f.size)
      throw Bad{at, "expected \"absent\" beyond file.size (" + std::to_string(f.size) + "), got a cached page"};
    if (e == model::ExtentState::delalloc && p < f.size && c != model::CacheState::dirty)
      throw Bad{Reader::at("file.extents", p), "a delalloc extent inside file.size needs a dirty page over it (file.cache[" +
                                                   std::to_string(p) + "] is not \"dirty\")"};
  }
}

void read_search(Reader& r, const json& j, SearchConfig& s) {
  r.object(j, "search", {"strategy", "preemptions", "max_executions", "seconds", "seed", "depth", "stateful", "schedule"});
  if (j.contains("strategy")) {
    std::string name = r.name(j["strategy"], "search.strategy", {"auto", "dfs", "dpor", "bounded", "random", "pct"}, "strategy");
    s.strategy = *parse_strategy(name);
  }
  if (j.contains("preemptions")) s.preemptions = static_cast<int>(r.integer(j["preemptions"], "search.preemptions", 0, 64));
  if (j.contains("max_executions")) s.max_executions = r.integer(j["max_executions"], "search.max_executions", 1, UINT64_MAX >> 1);
  if (j.contains("seconds")) s.seconds = r.number(j["seconds"], "search.seconds");
  if (j.contains("seed")) s.seed = r.integer(j["seed"], "search.seed", 0, UINT64_MAX >> 1);
  if (j.contains("depth")) s.depth = static_cast<uint32_t>(r.integer(j["depth"], "search.depth", 1, 64));
  if (j.contains("stateful")) s.stateful = r.boolean(j["stateful"], "search.stateful");
  if (j.contains("schedule")) {
    const json& a = r.array(j["schedule"], "search.schedule", 0, 1'000'000, "decisions");
    std::vector<uint32_t> schedule;
    for (std::size_t i = 0; i < a.size(); ++i)
      schedule.push_back(static_cast<uint32_t>(r.integer(a[i], Reader::at("search.schedule", i), 0, UINT32_MAX)));
    s.schedule = std::move(schedule);
  }
}

void read_expect(Reader& r, const json& j, const std::vector<std::string>& checked, Expect& e) {
  r.object(j, "expect", {"verdict", "invariants", "invariant"});
  if (!j.contains("verdict")) throw Bad{"expect.verdict", "missing (expected \"pass\", \"violation\" or \"bounded\")"};
  e.given = true;
  e.verdict = r.name(j["verdict"], "expect.verdict", {"pass", "violation", "bounded"}, "verdict");
  auto invariant = [&](const json& v, const std::string& path) {
    std::string name = r.name(v, path, names_of(model::invariants()), "invariant");
    if (std::find(checked.begin(), checked.end(), name) == checked.end() && name != no_deadlock && name != step_limit)
      throw Bad{path, "\"" + name + "\" is not checked by this scenario (see \"check\")"};
    e.invariants.insert(name);
  };
  if (j.contains("invariant")) invariant(j["invariant"], "expect.invariant");
  if (j.contains("invariants")) {
    const json& a = r.array(j["invariants"], "expect.invariants", 1, 16, "invariant names");
    for (std::size_t i = 0; i < a.size(); ++i) invariant(a[i], Reader::at("expect.invariants", i));
  }
  if (e.verdict == "violation" && e.invariants.empty())
    throw Bad{"expect.invariants", "missing (a violation expects the set of invariants it breaks)"};
  if (e.verdict != "violation" && !e.invariants.empty())
    throw Bad{"expect.invariants", "only a \"violation\" names invariants"};
}

// Scenario and thread names reach file names, JUnit, HTML and the terminal:
// a safe character set, and short enough for a file name with its suffixes.
constexpr std::size_t max_scenario_name = 100;
constexpr std::size_t max_thread_name = 32;

bool safe_name(const std::string& name, std::size_t longest) {
  return !name.empty() && name.size() <= longest && name[0] != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+';
         });
}

ScenarioFile read_all(const std::string& path, const json& j) {
  Reader r;
  if (j.is_object() && j.contains("fsmc_trace"))
    throw Bad{"fsmc_trace", "expected a scenario file, got a trace (read it with fsmc replay or fsmc show)", true};
  r.object(j, "", {"fsmc", "name", "description", "kernel", "fixes", "file", "threads", "check", "search", "expect"});
  ScenarioFile sf;
  sf.path = path;
  sf.json = j;
  model::Scenario& s = sf.scenario;
  std::string version = "the format version " + std::to_string(scenario_version);
  if (!j.contains("fsmc")) throw Bad{"fsmc", "missing (expected " + version + ")"};
  if (j["fsmc"] != scenario_version) throw Bad{"fsmc", "expected " + version + ", got " + kind_of(j["fsmc"])};
  if (!j.contains("name")) throw Bad{"name", "missing (expected a string naming the scenario)"};
  s.name = r.string(j["name"], "name");
  // The name becomes a file name in --out and a JUnit test name: no paths.
  if (!safe_name(s.name, max_scenario_name))
    throw Bad{"name", "expected an identifier of at most " + std::to_string(max_scenario_name) +
                          " letters, digits, - _ . + (not starting with .), got " + shown_text(s.name)};
  if (j.contains("description")) s.description = r.string(j["description"], "description");
  if (!j.contains("kernel")) throw Bad{"kernel", "missing (expected one of " + join(names_of(model::kernels())) + ")"};
  s.kernel = r.name(j["kernel"], "kernel", names_of(model::kernels()), "kernel");
  if (j.contains("fixes")) {
    if (!j["fixes"].is_object()) throw Bad{"fixes", "expected an object of fix names to true or false, got " + kind_of(j["fixes"])};
    for (const auto& [name, on] : j["fixes"].items()) {
      std::string path = Reader::at("fixes", name);
      r.name(json(name), path, names_of(model::fixes()), "fix");
      s.fixes[name] = r.boolean(on, path);
    }
  }
  if (j.contains("file")) read_file_section(r, j["file"], s.file);
  else throw Bad{"file", "missing (expected an object with at least \"size\" or \"pages\")"};
  if (!j.contains("threads")) throw Bad{"threads", "missing (expected 1 to 16 threads)"};
  const json& threads = r.array(j["threads"], "threads", 1, 16, "threads");
  for (std::size_t t = 0; t < threads.size(); ++t) {
    std::string tp = Reader::at("threads", t);
    r.object(threads[t], tp, {"name", "ops"});
    model::ThreadSpec ts;
    if (!threads[t].contains("name")) throw Bad{tp + ".name", "missing (expected a string)"};
    ts.name = r.string(threads[t]["name"], tp + ".name");
    if (!safe_name(ts.name, max_thread_name))
      throw Bad{tp + ".name", "expected a name of at most " + std::to_string(max_thread_name) +
                                  " letters, digits, - _ . + (not starting with .), got " + shown_text(ts.name)};
    for (const model::ThreadSpec& other : s.threads)
      if (other.name == ts.name) throw Bad{tp + ".name", "expected a name no other thread has, got \"" + ts.name + "\" again"};
    if (!threads[t].contains("ops")) throw Bad{tp + ".ops", "missing (expected 1 to 64 operations)"};
    const json& ops = r.array(threads[t]["ops"], tp + ".ops", 0, 64, "operations");
    for (std::size_t i = 0; i < ops.size(); ++i) ts.ops.push_back(read_op(r, ops[i], Reader::at(tp + ".ops", i), s.file.pages));
    s.threads.push_back(std::move(ts));
  }
  std::vector<std::string> all = names_of(model::invariants());
  if (j.contains("check")) {
    const json& a = r.array(j["check"], "check", 1, 16, "invariant names");
    for (std::size_t i = 0; i < a.size(); ++i) s.check.push_back(r.name(a[i], Reader::at("check", i), all, "invariant"));
  }
  sf.search.check = s.check;
  if (j.contains("search")) read_search(r, j["search"], sf.search);
  if (j.contains("expect")) read_expect(r, j["expect"], s.check.empty() ? all : s.check, sf.expect);
  return sf;
}

}  // namespace

std::optional<ScenarioFile> parse_scenario(const std::string& path, const json& j, InputError& error) {
  try {
    return read_all(path, j);
  } catch (const Bad& bad) {
    error.message = path + ": " + (bad.path.empty() ? "" : bad.path + ": ") + bad.message;
    error.is_trace = bad.trace;
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // Every field is type-checked before use; this is a reader bug, still not a crash.
    error.message = path + ": cannot read the scenario (" + std::string(e.what()) + ")";
    return std::nullopt;
  }
}

std::optional<ScenarioFile> parse_scenario(const std::string& path, const std::string& text, InputError& error) {
  json j;
  std::optional<std::string> duplicate;
  try {
    j = parse_json(text, duplicate);
  } catch (const json::parse_error& e) {
    error.message = reports::json_syntax_error(path, text, e);
    return std::nullopt;
  } catch (const JsonValueError& e) {
    error.message = path + ": " + (e.path.empty() ? "" : e.path + ": ") + e.message;
    return std::nullopt;
  }
  if (duplicate) {
    error.message = path + ": " + *duplicate + ": expected each field once, got it twice in one object";
    return std::nullopt;
  }
  return parse_scenario(path, j, error);
}

std::optional<InputError> name_clash(const std::vector<ScenarioFile>& files) {
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (files[k].scenario.name == files[i].scenario.name && files[k].path != files[i].path)
        return InputError{files[i].path + ": name: expected a name no other scenario of this run has, got \"" +
                          files[i].scenario.name + "\" (" + files[k].path + " has it too)"};
  return std::nullopt;
}

std::optional<ScenarioFile> read_scenario(const std::string& path, InputError& error) {
  std::optional<std::string> text = read_input_file(path, max_scenario_bytes, "a scenario file", error.message);
  if (!text) return std::nullopt;
  return parse_scenario(path, *text, error);
}

}  // namespace fsmc::cli
