#include "core/backend/opencl/ProgramCache.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace ffn::opencl {
namespace {

constexpr char kMagic[8] = {'F', 'F', 'N', 'C', 'L', 'P', 'B', '1'};

// File layout: magic[8], u64 keyLength, key, u64 binaryLength, u64 fingerprint(binary), binary.
void writeU64(std::ofstream& out, std::uint64_t value) { out.write(reinterpret_cast<const char*>(&value), 8); }

bool readU64(std::ifstream& in, std::uint64_t& value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), 8));
}

std::string_view view(const std::vector<unsigned char>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

ProgramCache::ProgramCache(std::filesystem::path directory) : m_directory(std::move(directory)) {}

std::filesystem::path ProgramCache::defaultDirectory() {
  if (const char* explicitDir = std::getenv("FFN_OPENCL_CACHE_DIR"); explicitDir && *explicitDir)
    return explicitDir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "ffnlab" / "opencl";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".cache" / "ffnlab" / "opencl";
  return {};
}

std::uint64_t ProgramCache::fingerprint(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string ProgramCache::hex(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) text[static_cast<std::size_t>(i)] = kDigits[value & 15];
  return text;
}

std::filesystem::path ProgramCache::fileFor(const std::string& key) const {
  return m_directory / (hex(fingerprint(key)) + ".clbin");
}

std::optional<std::vector<unsigned char>> ProgramCache::load(const std::string& key) const {
  if (!enabled()) return std::nullopt;
  const auto path = fileFor(key);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  auto corrupt = [&]() -> std::optional<std::vector<unsigned char>> {
    in.close();
    discard(key);
    return std::nullopt;
  };
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return corrupt();
  std::uint64_t keyLength = 0;
  if (!readU64(in, keyLength) || keyLength != key.size()) return corrupt();
  std::string storedKey(key.size(), '\0');
  if (!in.read(storedKey.data(), static_cast<std::streamsize>(key.size())) || storedKey != key) return corrupt();
  std::uint64_t length = 0, expected = 0;
  if (!readU64(in, length) || !readU64(in, expected)) return corrupt();
  const auto fileSize = std::filesystem::file_size(path, error);
  if (error || length == 0 || length != fileSize - (8 + 8 + key.size() + 8 + 8)) return corrupt();
  std::vector<unsigned char> binary(length);
  if (!in.read(reinterpret_cast<char*>(binary.data()), static_cast<std::streamsize>(length))) return corrupt();
  if (fingerprint(view(binary)) != expected) return corrupt();
  return binary;
}

bool ProgramCache::store(const std::string& key, const std::vector<unsigned char>& binary) const {
  if (!enabled() || binary.empty()) return false;
  std::error_code error;
  std::filesystem::create_directories(m_directory, error);
  const auto path = fileFor(key);
  auto temporary = path;
  // Unique per process and call, so concurrent writers never share a temporary file.
  static std::atomic<unsigned> counter{0};
  temporary += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out.write(kMagic, 8);
    writeU64(out, key.size());
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    writeU64(out, binary.size());
    writeU64(out, fingerprint(view(binary)));
    out.write(reinterpret_cast<const char*>(binary.data()), static_cast<std::streamsize>(binary.size()));
    if (!out.flush()) {
      out.close();
      std::filesystem::remove(temporary, error);
      return false;
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return false;
  }
  return true;
}

void ProgramCache::discard(const std::string& key) const {
  if (!enabled()) return;
  std::error_code error;
  std::filesystem::remove(fileFor(key), error);
}

}  // namespace ffn::opencl
