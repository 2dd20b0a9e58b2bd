#pragma once
// ProgramCache: compiled OpenCL programs kept on disk between runs, one file per key, so a second start skips
// the compiler. The key names everything the binary depends on (device, driver, build options, a fingerprint of
// the source); the file repeats the key and carries a fingerprint of the binary, so a stale, truncated or
// otherwise corrupt file is recognised, deleted, and the program rebuilt (drivers accept some corrupt binaries
// without complaint, so we cannot leave this to them).
//
// Folder: FFN_OPENCL_CACHE_DIR if set, else $XDG_CACHE_HOME/ffnlab/opencl, else ~/.cache/ffnlab/opencl. The
// cache is an optimisation only: an unwritable folder just means compiling every time.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ffn::opencl {

class ProgramCache {
 public:
  // An empty folder disables the cache.
  explicit ProgramCache(std::filesystem::path directory = {});
  static std::filesystem::path defaultDirectory();

  bool enabled() const { return !m_directory.empty(); }
  const std::filesystem::path& directory() const { return m_directory; }
  // The file that holds `key` (whether or not it exists).
  std::filesystem::path fileFor(const std::string& key) const;

  // The binary stored under key; nothing when absent or unreadable. A corrupt file is deleted.
  std::optional<std::vector<unsigned char>> load(const std::string& key) const;
  // Writes atomically (a temporary file renamed into place); false when the folder is not writable.
  bool store(const std::string& key, const std::vector<unsigned char>& binary) const;
  // Deletes key's file (a binary the driver refused).
  void discard(const std::string& key) const;

  // FNV-1a, 64 bits: fingerprints of sources, keys and binaries.
  static std::uint64_t fingerprint(std::string_view bytes);
  static std::string hex(std::uint64_t value);

 private:
  std::filesystem::path m_directory;
};

}  // namespace ffn::opencl
