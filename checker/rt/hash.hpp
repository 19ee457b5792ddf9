// Folding words into a 64-bit hash, for state keys (engine and models alike).
#pragma once

#include <cstdint>

namespace fsmc {

// Folds v into h (splitmix64's finaliser): state keys only need good spread.
inline uint64_t mix(uint64_t h, uint64_t v) {
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace fsmc
