// Every loader against damaged files, deterministically, in every build (the libFuzzer targets in this folder
// explore further; see .ci/fuzz). For each loader: its seed corpus (tests/fuzz/corpus/<loader>) loads; thousands
// of mutations of those seeds (bit flips, interesting bytes and 32/64-bit values in both byte orders, cuts,
// repeats, insertions, splices) never crash and give either a value or an error with a message; every saved
// regression input (tests/fuzz/regressions/<loader>) is refused with a message; and files whose headers claim
// enormous sizes are refused before anything is allocated (under AddressSanitizer an attempted 10^12-element
// allocation would abort the test).
#include <QtTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/backend/cpu/CpuBackend.h"
#include "core/base/Rng.h"
#include "core/model/Network.h"
#include "tests/core/data/DataTestFiles.h"
#include "tests/fuzz/FuzzLoaders.h"

using namespace ffn;
namespace fs = std::filesystem;

namespace {

// The failure's message for QVERIFY2 (which evaluates its message even when the check passes).
template <typename R>
const char* why(const R& result) {
  return result.ok() ? "" : result.message().c_str();
}

using Loader = Status (*)(std::string_view);

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::pair<std::string, std::string>> filesIn(const std::string& folder) {
  std::vector<std::pair<std::string, std::string>> files;
  const fs::path dir = fs::path(FFN_SOURCE_DIR) / "tests" / "fuzz" / folder;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.emplace_back(entry.path().filename().string(), readFile(entry.path()));
  std::sort(files.begin(), files.end());
  return files;
}

// One mutation of `seed`, libFuzzer-style, drawn from `rng`; `other` is spliced in by the splice mutation.
std::string mutate(std::string bytes, const std::string& other, Rng& rng) {
  static const std::uint64_t kInteresting[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000,
                                               0xffffffff, 1000000000000ULL, 0x7fffffffffffffffULL, ~0ULL};
  const int steps = 1 + int(rng.below(4));
  for (int s = 0; s < steps; ++s) {
    const std::size_t at = bytes.empty() ? 0 : rng.below(bytes.size());
    switch (rng.below(8)) {
      case 0:  // flip a bit
        if (!bytes.empty()) bytes[at] = char(bytes[at] ^ (1 << rng.below(8)));
        break;
      case 1:  // an interesting byte
        if (!bytes.empty()) bytes[at] = char(kInteresting[rng.below(5)]);
        break;
      case 2: {  // an interesting 32- or 64-bit value, little- or big-endian
        const std::uint64_t v = kInteresting[rng.below(std::size(kInteresting))];
        const int width = rng.below(2) ? 8 : 4;
        const bool big = rng.below(2);
        for (int b = 0; b < width && at + b < bytes.size(); ++b)
          bytes[at + b] = char(v >> (8 * (big ? width - 1 - b : b)));
        break;
      }
      case 3:  // cut the end
        bytes.resize(at);
        break;
      case 4:  // remove a run
        bytes.erase(at, rng.below(16) + 1);
        break;
      case 5:  // repeat a run
        bytes.insert(at, bytes.substr(at, rng.below(32) + 1));
        break;
      case 6:  // insert random bytes
        for (int i = int(rng.below(8)); i >= 0; --i) bytes.insert(bytes.begin() + std::ptrdiff_t(at), char(rng.nextU64()));
        break;
      default:  // splice in a piece of the other seed
        if (!other.empty()) bytes.insert(at, other.substr(rng.below(other.size()), rng.below(64) + 1));
        break;
    }
  }
  return bytes;
}

struct MutationCount {
  int loaded = 0, refused = 0;
};

// Runs `count` mutations of each seed; every failure must carry a message and none may be a "BUG:".
MutationCount mutateAll(Loader loader, const std::vector<std::pair<std::string, std::string>>& seeds, int count,
                        std::uint64_t seed) {
  Rng rng(seed);
  MutationCount result;
  for (std::size_t s = 0; s < seeds.size(); ++s) {
    const std::string& other = seeds[(s + 1) % seeds.size()].second;
    for (int i = 0; i < count; ++i) {
      const std::string input = mutate(seeds[s].second, other, rng);
      const Status status = loader(input);
      if (status.ok()) {
        ++result.loaded;
        continue;
      }
      ++result.refused;
      if (status.message().empty() || status.message().rfind("BUG:", 0) == 0)
        qFatal("%s mutation %d: '%s'", seeds[s].first.c_str(), i, status.message().c_str());
    }
  }
  return result;
}

std::string le64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int b = 0; b < 8; ++b) s[std::size_t(b)] = char(v >> (8 * b));
  return s;
}

std::string safetensorsWithHeader(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

}  // namespace

class LoaderMutationsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void mutatedFilesNeverCrash_data();
  void mutatedFilesNeverCrash();
  void regressionInputsAreRefused();
  void enormousClaimsAreRefused_data();
  void enormousClaimsAreRefused();
};

void LoaderMutationsTest::mutatedFilesNeverCrash_data() {
  QTest::addColumn<QString>("loader");
  QTest::addColumn<int>("mutations");  // per seed file
  for (auto [name, count] : {std::pair{"idx", 1500}, std::pair{"csv", 3000}, std::pair{"project", 600},
                             std::pair{"safetensors", 2500}, std::pair{"onnx", 1500}})
    QTest::newRow(name) << QString(name) << count;
}

std::map<QString, Loader> loaders() {
  return {{"idx", fuzz::loadIdx}, {"csv", fuzz::loadCsv}, {"project", fuzz::loadProject},
          {"safetensors", fuzz::loadSafetensors}, {"onnx", fuzz::loadOnnx}};
}

void LoaderMutationsTest::mutatedFilesNeverCrash() {
  QFETCH(QString, loader);
  QFETCH(int, mutations);
  const Loader load = loaders().at(loader);
  const auto seeds = filesIn("corpus/" + loader.toStdString());
  QVERIFY(seeds.size() >= 2);
  for (const auto& [name, bytes] : seeds) {
    const Status status = load(bytes);
    QVERIFY2(status.ok(), (name + ": " + status.message()).c_str());
  }
  const MutationCount count = mutateAll(load, seeds, mutations, 0xf022 + std::uint64_t(loader.size()));
  qInfo("%s: %d mutations, %d loaded, %d refused with a message", qPrintable(loader), count.loaded + count.refused,
        count.loaded, count.refused);
  QCOMPARE(count.loaded + count.refused, mutations * int(seeds.size()));
  QVERIFY(count.refused > 0);  // the mutations do reach the checks
}

void LoaderMutationsTest::regressionInputsAreRefused() {
  int cases = 0;
  for (const auto& [name, load] : loaders())
    for (const auto& [file, bytes] : filesIn("regressions/" + name.toStdString())) {
      const Status status = load(bytes);
      QVERIFY2(!status.ok(), (name.toStdString() + "/" + file + " loaded").c_str());
      QVERIFY2(status.message().rfind("BUG:", 0) != 0, status.message().c_str());
      ++cases;
    }
  qInfo("%d regression inputs refused", cases);
}

void LoaderMutationsTest::enormousClaimsAreRefused_data() {
  QTest::addColumn<QString>("loader");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("expected");  // part of the message
  auto idx = [](std::vector<std::uint32_t> dims, std::size_t payload) {
    const auto b = test::idxBytes(dims, test::pixelPattern(payload));
    return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
  };
  QTest::newRow("IDX 10^12 values") << "idx" << idx({1000000, 1000000}, 16) << "";
  QTest::newRow("IDX 2^32 x 2^32 x 255") << "idx" << idx({0xffffffffu, 0xffffffffu, 255}, 64) << "";
  QTest::newRow("IDX rank 255") << "idx" << idx(std::vector<std::uint32_t>(255, 2), 8) << "";
  const std::string data(16, '\0');
  QTest::newRow("safetensors 10^12-element tensor")
      << "safetensors"
      << QByteArray::fromStdString(safetensorsWithHeader(
             R"({"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4000000000000]}})", data))
      << "w";
  QTest::newRow("safetensors header of 2^63 bytes")
      << "safetensors" << QByteArray::fromStdString(le64(1ULL << 63) + "{}") << "";
  QTest::newRow("safetensors shape overflowing 64 bits")
      << "safetensors"
      << QByteArray::fromStdString(safetensorsWithHeader(
             R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}})", data))
      << "w";
  auto project = [](const std::string& input, const std::string& layer) {
    return QByteArray::fromStdString(
        R"({"format":"ffnlab-project","version":1,"graph":{"nodes":[)"
        R"({"id":"in","kind":"Input","params":{"shape":)" + input + R"(}},)" + layer +
        R"({"id":"out","kind":"Output"}],"edges":[{"from":"in","to":"l"},{"from":"l","to":"out"}]}})");
  };
  QTest::newRow("project: 2^72-value sample")
      << "project-graph" << project("[16777216,16777216,16777216]", R"({"id":"l","kind":"Flatten"},)")
      << "values per sample";
  QTest::newRow("project: 2^44 weights")
      << "project-graph" << project("[16777216]", R"({"id":"l","kind":"Dense","params":{"units":1048576}},)")
      << "weights";
  QTest::newRow("CSV unterminated quote") << "csv" << QByteArray("a,label\n\"1,2\n") << "";
}

void LoaderMutationsTest::enormousClaimsAreRefused() {
  QFETCH(QString, loader);
  QFETCH(QByteArray, bytes);
  QFETCH(QString, expected);
  const std::string_view view(bytes.constData(), std::size_t(bytes.size()));
  Status status;
  if (loader == "project-graph") {
    // The file itself is well-formed; what it asks for is refused when the graph is checked, before compiling.
    auto project = projectFromText(view);
    QVERIFY2(project.ok(), why(project));
    status = validateGraph(project->graph);
    CpuBackend backend;
    auto network = Network::compile(project->graph, backend);
    QVERIFY(!network.ok());
  } else {
    status = loaders().at(loader)(view);
  }
  QVERIFY(!status.ok());
  qInfo("%s", status.message().c_str());
  QVERIFY2(status.message().find(expected.toStdString()) != std::string::npos, status.message().c_str());
}

QTEST_GUILESS_MAIN(LoaderMutationsTest)
#include "tst_loader_mutations.moc"
