#pragma once
// Numbers as file formats store them (safetensors, ONNX): little-endian integers whatever this machine's byte
// order, IEEE half floats, and doubles narrowed to float without undefined behaviour.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace ffn {

// An unsigned integer stored little-endian at `bytes`.
template <typename U>
U loadLittle(const unsigned char* bytes) {
  U value = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(static_cast<U>(bytes[i]) << (8 * i));
  return value;
}

template <typename U>
void storeLittle(U value, char* out) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

inline float halfToFloat(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  const std::uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));  // inf, NaN
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

// Doubles beyond float's range become infinities (a plain cast of those is undefined behaviour).
inline float narrowToFloat(double value) {
  constexpr double kMax = std::numeric_limits<float>::max();
  if (value > kMax) return std::numeric_limits<float>::infinity();
  if (value < -kMax) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(value);
}

}  // namespace ffn
