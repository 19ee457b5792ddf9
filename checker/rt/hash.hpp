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

// Folds v into a running hash h, at about a third of mix's cost, for
// hashing many words: for fixed h a bijection of v, and for fixed v of h,
// so sequences of words that differ in one word never fold to one value.
// Finish with mix before using the result as a key.
inline uint64_t fold(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

}  // namespace fsmc
