// Checks of command-line values that say, in one line, what was expected.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace fsmc::cli {

// CLI11's own range checks print the whole range of a double; these say it simply.
CLI::Validator at_least(double least, const char* what);
CLI::Validator at_most(double most, const char* what);
// An empty file name would be no report at all.
CLI::Validator a_file();
// An empty --out would silently mean "write no traces".
CLI::Validator a_directory();
// One of `names`, with a "did you mean" for a near miss.
CLI::Validator one_of(std::vector<std::string> names, std::string what);

}  // namespace fsmc::cli
