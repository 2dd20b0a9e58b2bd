// Atomic saves: success replaces the content; every kind of failure leaves the old file byte-identical, no
// temporary file behind, and says why. Tests run as root, where permissions do not stop writes, so failures
// come from the fault seam (ENOSPC, EROFS, EIO, EACCES) and from paths no one can write (a file as folder, /proc).
#include <QTemporaryDir>
#include <QtTest>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "core/base/AtomicFile.h"

using namespace ffn;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(ffn::AtomicWriteStep)

namespace {

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writePlain(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<std::string> folderEntries(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Makes one step fail with `err` for as long as it lives.
class ScopedFault {
 public:
  ScopedFault(AtomicWriteStep failing, int err) {
    setAtomicWriteFaultForTesting([failing, err](AtomicWriteStep step) { return step == failing ? err : 0; });
  }
  ~ScopedFault() { setAtomicWriteFaultForTesting({}); }
};

}  // namespace

class AtomicFileTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { m_dir = std::make_unique<QTemporaryDir>(); QVERIFY(m_dir->isValid()); }
  void createsNewFile();
  void replacesContent();
  void keepsPermissions();
  void followsSymbolicLink();
  void failureKeepsOldFile_data();
  void failureKeepsOldFile();
  void missingFolderIsNamed();
  void parentIsAFile();
  void cannotWriteIntoProc();
  void targetIsAFolder();
  void readsWholeFile();
  void refusesLargeFile();
  void refusesLargeStream();
  void readMissingFile();

 private:
  fs::path path(const char* name) const { return fs::path(m_dir->path().toStdString()) / name; }
  std::unique_ptr<QTemporaryDir> m_dir;
};

void AtomicFileTest::createsNewFile() {
  const std::string bytes("first\0second\n", 13);
  Status saved = writeFileAtomically(path("a.txt").string(), bytes);
  QVERIFY2(saved.ok(), saved.ok() ? "" : saved.message().c_str());
  QCOMPARE(fileBytes(path("a.txt")), bytes);
  QCOMPARE(folderEntries(path("")), std::vector<std::string>{"a.txt"});
}

void AtomicFileTest::replacesContent() {
  writePlain(path("a.txt"), std::string(1000, 'x'));
  QVERIFY(writeFileAtomically(path("a.txt").string(), "short").ok());
  QCOMPARE(fileBytes(path("a.txt")), std::string("short"));  // no tail of the longer old content
  QVERIFY(writeFileAtomically(path("a.txt").string(), "").ok());
  QCOMPARE(fs::file_size(path("a.txt")), std::uintmax_t{0});
  QCOMPARE(folderEntries(path("")), std::vector<std::string>{"a.txt"});
}

void AtomicFileTest::keepsPermissions() {
  writePlain(path("a.txt"), "old");
  fs::permissions(path("a.txt"), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  QVERIFY(writeFileAtomically(path("a.txt").string(), "new").ok());
  QCOMPARE(static_cast<int>(fs::status(path("a.txt")).permissions()),
           static_cast<int>(fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}

void AtomicFileTest::followsSymbolicLink() {
  writePlain(path("real.txt"), "old");
  fs::create_symlink(path("real.txt"), path("link.txt"));
  QVERIFY(writeFileAtomically(path("link.txt").string(), "new").ok());
  QVERIFY(fs::is_symlink(path("link.txt")));
  QCOMPARE(fileBytes(path("real.txt")), std::string("new"));
}

void AtomicFileTest::failureKeepsOldFile_data() {
  QTest::addColumn<AtomicWriteStep>("step");
  QTest::addColumn<int>("err");
  QTest::addColumn<QString>("reason");
  QTest::newRow("disk full while writing") << AtomicWriteStep::Write << ENOSPC << "No space left on device";
  QTest::newRow("read-only file system") << AtomicWriteStep::Create << EROFS << "Read-only file system";
  QTest::newRow("permission denied") << AtomicWriteStep::Create << EACCES << "Permission denied";
  QTest::newRow("I/O error on fsync") << AtomicWriteStep::Sync << EIO << "Input/output error";
  QTest::newRow("rename refused") << AtomicWriteStep::Rename << EACCES << "Permission denied";
}

void AtomicFileTest::failureKeepsOldFile() {
  QFETCH(AtomicWriteStep, step);
  QFETCH(int, err);
  QFETCH(QString, reason);
  const std::string old("the old content\n\0\x01", 18);
  writePlain(path("project.ffnlab"), old);
  Status saved = [&] {
    ScopedFault fault(step, err);
    return writeFileAtomically(path("project.ffnlab").string(), std::string(100000, 'n'));
  }();
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find(reason.toStdString()) != std::string::npos, saved.message().c_str());
  QVERIFY2(saved.message().find(path("project.ffnlab").string()) != std::string::npos, saved.message().c_str());
  QCOMPARE(fileBytes(path("project.ffnlab")), old);
  QCOMPARE(folderEntries(path("")), std::vector<std::string>{"project.ffnlab"});  // no temporary file left
  // The seam is cleared: the same save now works.
  QVERIFY(writeFileAtomically(path("project.ffnlab").string(), "new").ok());
  QCOMPARE(fileBytes(path("project.ffnlab")), std::string("new"));
}

void AtomicFileTest::missingFolderIsNamed() {
  const fs::path target = path("no-such-folder") / "p.ffnlab";
  Status saved = writeFileAtomically(target.string(), "x");
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find("does not exist") != std::string::npos, saved.message().c_str());
  QVERIFY2(saved.message().find(path("no-such-folder").string()) != std::string::npos, saved.message().c_str());
  QVERIFY(!fs::exists(path("no-such-folder")));
}

void AtomicFileTest::parentIsAFile() {
  writePlain(path("plain"), "I am a file");
  Status saved = writeFileAtomically((path("plain") / "p.ffnlab").string(), "x");
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find("Not a directory") != std::string::npos, saved.message().c_str());
  QCOMPARE(fileBytes(path("plain")), std::string("I am a file"));
}

void AtomicFileTest::cannotWriteIntoProc() {
  // Not even root can create files in /proc.
  Status saved = writeFileAtomically("/proc/ffnlab-atomic-test.ffnlab", "x");
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find("/proc/ffnlab-atomic-test.ffnlab") != std::string::npos, saved.message().c_str());
  QVERIFY(!fs::exists("/proc/ffnlab-atomic-test.ffnlab"));
}

void AtomicFileTest::targetIsAFolder() {
  fs::create_directory(path("folder"));
  Status saved = writeFileAtomically(path("folder").string(), "x");
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find("folder") != std::string::npos, saved.message().c_str());
  QVERIFY(fs::is_directory(path("folder")));
}

void AtomicFileTest::readsWholeFile() {
  std::string bytes(300000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  writePlain(path("b.bin"), bytes);
  auto read = readWholeFile(path("b.bin").string(), bytes.size());
  QVERIFY2(read.ok(), read.ok() ? "" : read.message().c_str());
  QCOMPARE(*read, bytes);
}

void AtomicFileTest::refusesLargeFile() {
  writePlain(path("b.bin"), std::string(1001, 'x'));
  auto read = readWholeFile(path("b.bin").string(), 1000);
  QVERIFY(!read.ok());
  QVERIFY2(read.message().find("1001 bytes") != std::string::npos, read.message().c_str());
  QVERIFY2(read.message().find("1000 bytes") != std::string::npos, read.message().c_str());
  // A sparse 10 GB file is refused from its size alone, without reading it.
  { std::ofstream(path("huge.bin")); }
  fs::resize_file(path("huge.bin"), std::uintmax_t{10} << 30);
  QElapsedTimer timer;
  timer.start();
  auto huge = readWholeFile(path("huge.bin").string(), 64u << 20);
  QVERIFY(!huge.ok());
  QVERIFY2(huge.message().find("10240.0 MB") != std::string::npos, huge.message().c_str());
  QVERIFY(timer.elapsed() < 1000);
}

void AtomicFileTest::refusesLargeStream() {
  // /proc files report size 0: the limit must hold while reading too.
  auto whole = readWholeFile("/proc/self/status", 1 << 20);
  QVERIFY2(whole.ok(), whole.ok() ? "" : whole.message().c_str());
  QVERIFY(whole->find("Name:") != std::string::npos);
  auto limited = readWholeFile("/proc/self/status", 16);
  QVERIFY(!limited.ok());
  QVERIFY2(limited.message().find("more than the 16 bytes") != std::string::npos, limited.message().c_str());
}

void AtomicFileTest::readMissingFile() {
  auto read = readWholeFile(path("missing.ffnlab").string(), 100);
  QVERIFY(!read.ok());
  QVERIFY2(read.message().find("No such file or directory") != std::string::npos, read.message().c_str());
  QVERIFY2(read.message().find("missing.ffnlab") != std::string::npos, read.message().c_str());
}

QTEST_APPLESS_MAIN(AtomicFileTest)
#include "tst_atomic_file.moc"
