#pragma once
// Eight floats as one SIMD vector (GCC/Clang vector extensions; the compiler maps them to AVX2, SSE or NEON) for
// the hand-written host kernels of the basis-input ReLU network (core/backend/BasisRelu.cpp,
// core/backend/cpu/BasisReluSgd.cpp). Loads and stores go through memcpy: no alignment is assumed.
#include <cstring>

namespace ffn::hostvec {

constexpr int kLanes = 8;
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));

inline Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }
inline Vec splat(float x) { return Vec{x, x, x, x, x, x, x, x}; }

}  // namespace ffn::hostvec
