// LargePageAllocator: large blocks start on a 2 MB boundary and carry the kernel's huge-page advice (the "hg" flag
// of their mapping in /proc/self/smaps, Linux with transparent huge pages built in); small blocks are ordinary
// 64-byte aligned memory. Both hold what is written to them.
#include <QtTest>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/LargePages.h"

using namespace ffn;

namespace {

using Bytes = std::vector<std::uint8_t, LargePageAllocator<std::uint8_t>>;

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// The VmFlags of the mapping holding p ("" when none is found).
std::string mappingFlags(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= address(p) && address(p) < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return {};
}

bool hugePagesBuiltIn() {
  std::ifstream mode("/sys/kernel/mm/transparent_hugepage/enabled");
  return mode.good();
}

}  // namespace

class LargePagesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void smallBlocksAreCacheLineAligned() {
    for (std::size_t size : {1u, 100u, 4096u, 1000000u}) {
      Bytes bytes(size, 7);
      QCOMPARE(address(bytes.data()) % 64, std::uintptr_t{0});
      QCOMPARE(bytes[size - 1], std::uint8_t{7});
    }
    Bytes empty;
    empty.reserve(0);
    QVERIFY(empty.empty());
  }

  void largeBlocksStartOnAHugePageAndHoldTheirBytes() {
    const std::size_t size = largepages::kLargeBlock + 12345;
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 31);
    QCOMPARE(address(bytes.data()) % largepages::kHugePage, std::uintptr_t{0});
    for (std::size_t i = 0; i < size; i += 4099) QCOMPARE(bytes[i], static_cast<std::uint8_t>(i * 31));
    QCOMPARE(bytes.back(), static_cast<std::uint8_t>((size - 1) * 31));
    // Grown past the first block, the contents move to the new one.
    bytes.resize(3 * largepages::kHugePage, 5);
    QCOMPARE(address(bytes.data()) % largepages::kHugePage, std::uintptr_t{0});
    QCOMPARE(bytes[4099], static_cast<std::uint8_t>(4099 * 31));
    QCOMPARE(bytes.back(), std::uint8_t{5});
  }

  void largeBlocksCarryTheHugePageAdvice() {
#if !defined(__linux__)
    QSKIP("huge-page advice is given on Linux only");
#else
    if (!hugePagesBuiltIn()) QSKIP("this kernel has no transparent huge pages");
    Bytes large(4 * largepages::kHugePage, 1);
    const std::string flags = mappingFlags(large.data());
    QVERIFY2(!flags.empty(), "no mapping in /proc/self/smaps holds the block");
    QVERIFY2(flags.find(" hg") != std::string::npos, flags.c_str());
    Bytes small(4096, 1);
    QVERIFY2(mappingFlags(small.data()).find(" hg") == std::string::npos, "a small block was advised too");
#endif
  }
};

QTEST_GUILESS_MAIN(LargePagesTest)
#include "tst_large_pages.moc"
