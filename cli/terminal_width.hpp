// How wide the tables of fsmc show and fsmc replay may be.
#pragma once

#include <cstddef>
#include <optional>

namespace fsmc::cli {

// `chosen` (--width) when given; else COLUMNS when it holds a width; else
// the terminal's width when stdout is one; else 80.
std::size_t line_width(std::optional<std::size_t> chosen);

}  // namespace fsmc::cli
