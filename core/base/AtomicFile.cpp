#include "core/base/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace ffn {
namespace {

namespace fs = std::filesystem;

AtomicWriteFault& faultHook() {
  static AtomicWriteFault hook;
  return hook;
}

int injectedFault(AtomicWriteStep step) {
  const AtomicWriteFault& hook = faultHook();
  return hook ? hook(step) : 0;
}

// strerror's text, without strerror's shared buffer.
std::string reason(int err) { return std::generic_category().message(err); }

std::string describeSize(std::uintmax_t bytes) {
  if (bytes < 1024 * 1024) return std::to_string(bytes) + " bytes";
  char text[64];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// Closes a descriptor once, on every path out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { close(); }
  int get() const { return m_fd; }
  // Returns 0 or the errno of close(): on NFS a failed write may only show up here.
  int close() {
    if (m_fd < 0) return 0;
    const int rc = ::close(m_fd);
    m_fd = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int m_fd;
};

// Removes the temporary file unless the rename took it.
class TemporaryFile {
 public:
  ~TemporaryFile() {
    if (!m_path.empty()) ::unlink(m_path.c_str());
  }
  void set(std::string path) { m_path = std::move(path); }
  void release() { m_path.clear(); }
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

Error saveError(const std::string& path, const fs::path& folder, int err) {
  if (err == ENOENT) return fail("cannot save '", path, "': the folder '", folder.string(), "' does not exist");
  return fail("cannot save '", path, "': ", reason(err));
}

}  // namespace

void setAtomicWriteFaultForTesting(AtomicWriteFault fault) { faultHook() = std::move(fault); }

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
  if (path.empty()) return fail("cannot save: no file name given");
  fs::path target(path);
  std::error_code ec;
  // Renaming over a symbolic link would replace the link itself; people expect the file it points to to change.
  if (fs::is_symlink(target, ec)) {
    fs::path resolved = fs::canonical(target, ec);
    if (!ec) target = resolved;
  }
  if (fs::is_directory(target, ec)) return fail("cannot save '", path, "': it is a folder");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // A name beside the target (same file system, so rename is atomic), hidden, and too specific to clash.
  const std::string stem = target.filename().string().substr(0, 180);
  static std::atomic<unsigned> counter{0};

  TemporaryFile temporary;
  int opened = -1;
  for (int attempt = 0; opened < 0; ++attempt) {
    const std::string candidate = (folder / ("." + stem + ".tmp-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(counter.fetch_add(1))))
                                      .string();
    int err = injectedFault(AtomicWriteStep::Create);
    if (err == 0) {
      // 0666 under the umask, like any newly created file (mkstemp's 0600 would make saved projects private).
      opened = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (opened >= 0) {
        temporary.set(candidate);
        break;
      }
      err = errno;
    }
    if (err != EEXIST || attempt >= 100) return saveError(path, folder, err);
  }
  FileDescriptor fd(opened);

  // Keep the permissions of the file being replaced (best effort: ownership of another user cannot be kept).
  struct stat existing {};
  if (::stat(target.c_str(), &existing) == 0) (void)::fchmod(fd.get(), existing.st_mode & 07777);

  if (int err = injectedFault(AtomicWriteStep::Write)) return saveError(path, folder, err);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const std::size_t chunk = std::min<std::size_t>(bytes.size() - written, std::size_t{1} << 30);
    const ssize_t n = ::write(fd.get(), bytes.data() + written, chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return saveError(path, folder, errno);
    if (n == 0) return saveError(path, folder, EIO);  // no progress and no errno: never loop forever
    written += static_cast<std::size_t>(n);
  }

  int err = injectedFault(AtomicWriteStep::Sync);
  if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
  if (err == 0) err = fd.close();
  if (err != 0) return saveError(path, folder, err);

  err = injectedFault(AtomicWriteStep::Rename);
  if (err == 0 && ::rename(temporary.path().c_str(), target.c_str()) != 0) err = errno;
  if (err != 0) return saveError(path, folder, err);
  temporary.release();

  // Make the rename itself durable. A failure here is not reported: the new file is already in place, so
  // saying "not saved" would be wrong, and some file systems refuse fsync on folders (EINVAL) anyway.
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) (void)::fsync(dir.get());
  return {};
}

Result<std::string> readWholeFile(const std::string& path, std::size_t maxBytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail("cannot open '", path, "': ", reason(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return fail("cannot open '", path, "': ", reason(errno));
  if (S_ISDIR(info.st_mode)) return fail("cannot open '", path, "': it is a folder, not a file");
  const std::string limit = describeSize(maxBytes);
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > maxBytes)
    return fail("cannot open '", path, "': it is ", describeSize(static_cast<std::uintmax_t>(info.st_size)),
                ", more than the ", limit, " such a file may have");

  // Read to the end rather than trusting st_size: files in /proc report 0, and a file may grow meanwhile.
  std::string bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot read '", path, "': ", reason(errno));
    if (n == 0) break;
    if (bytes.size() + static_cast<std::size_t>(n) > maxBytes)
      return fail("cannot open '", path, "': it holds more than the ", limit, " such a file may have");
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

}  // namespace ffn
