#pragma once
// Helpers for the data tests: IDX files and text files written byte for byte into a temporary folder.
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace ffn::test {

// An IDX file: two zero bytes, the type byte, the rank, big-endian uint32 dimensions, then the payload.
inline std::vector<std::uint8_t> idxBytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& payload,
                                          std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> bytes{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

// Writes bytes plainly or gzip-compressed (through zlib, like the real Fashion-MNIST files).
inline bool writeBytes(const std::string& path, const std::vector<std::uint8_t>& bytes, bool gzip) {
  if (!gzip) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
  }
  gzFile file = gzopen(path.c_str(), "wb");
  if (!file) return false;
  const int written = bytes.empty() ? 0 : gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  return gzclose(file) == Z_OK && written == static_cast<int>(bytes.size());
}

inline bool writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// A deterministic byte pattern that differs between neighbouring pixels and samples.
inline std::vector<std::uint8_t> pixelPattern(std::size_t count) {
  std::vector<std::uint8_t> bytes(count);
  for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<std::uint8_t>((i * 37 + i / 7) & 0xFF);
  return bytes;
}

}  // namespace ffn::test
