// The states a scenario's file.extents and file.cache name, with their names.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "model/names.hpp"

namespace fsmc::model {

enum class ExtentState : uint8_t { hole, delalloc, unwritten, written };
enum class CacheState : uint8_t { absent, clean, dirty };

inline constexpr Name<ExtentState> extent_state_names[] = {
    {ExtentState::hole, "hole"},
    {ExtentState::delalloc, "delalloc"},
    {ExtentState::unwritten, "unwritten"},
    {ExtentState::written, "written"},
};
inline constexpr Name<CacheState> cache_state_names[] = {
    {CacheState::absent, "absent"},
    {CacheState::clean, "clean"},
    {CacheState::dirty, "dirty"},
};

inline const char* to_string(ExtentState s) { return name_in<ExtentState>(extent_state_names, s); }
inline const char* to_string(CacheState s) { return name_in<CacheState>(cache_state_names, s); }
inline std::optional<ExtentState> parse_extent_state(std::string_view s) {
  return parse_in<ExtentState>(extent_state_names, s);
}
inline std::optional<CacheState> parse_cache_state(std::string_view s) { return parse_in<CacheState>(cache_state_names, s); }

}  // namespace fsmc::model
