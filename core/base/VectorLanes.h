#pragma once
// The mask of an AVX-512 vector's first lanes: loops over rows whose length is not a multiple of 16 floats load
// and store their last vector through it.
#include <cstdint>

#if defined(__AVX512F__)
#include <immintrin.h>

namespace ffn {

// Lanes [0, count) of a 16-float vector: all 16 from count 16 on, none at 0 or below.
inline __mmask16 firstLanes(std::int64_t count) {
  if (count <= 0) return 0;
  return count >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << count) - 1);
}

}  // namespace ffn

#endif
