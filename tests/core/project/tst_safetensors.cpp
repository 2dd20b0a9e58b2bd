// safetensors: bit-exact round trips, the byte layout other tools expect, conversion of other float types, and
// every kind of damaged or hostile header refused — fast, and without allocating what the header claims.
#include <QTemporaryDir>
#include <QtTest>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/project/Safetensors.h"

using namespace ffn;
namespace fs = std::filesystem;

namespace {

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file as another tool might write it: the length, the header text as given, then `data`.
std::string rawFile(const std::string& header, const std::string& data, std::uint64_t claimedLength = 0) {
  const std::uint64_t length = claimedLength ? claimedLength : header.size();
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xff);
  return bytes + header + data;
}

template <typename T>
std::string littleEndian(std::initializer_list<T> values) {
  static_assert(std::endian::native == std::endian::little, "these fixtures are written on little-endian machines");
  std::string bytes(values.size() * sizeof(T), '\0');
  std::memcpy(bytes.data(), values.begin(), bytes.size());
  return bytes;
}

std::vector<std::uint32_t> bits(const std::vector<float>& values) {
  std::vector<std::uint32_t> out;
  for (float v : values) out.push_back(std::bit_cast<std::uint32_t>(v));
  return out;
}

}  // namespace

class SafetensorsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { m_dir = std::make_unique<QTemporaryDir>(); QVERIFY(m_dir->isValid()); }
  void roundTripIsBitExact();
  void writesStandardLayout();
  void readsFileFromOtherTools();
  void convertsOtherFloatTypes();
  void refusesDamage_data();
  void refusesDamage();
  void refusesHugeHeaderWithoutReadingIt();
  void refusesHugeClaimsFast();
  void writerRefusesBadInput();
  void reportsMissingFile();

 private:
  std::string path(const char* name) const { return (fs::path(m_dir->path().toStdString()) / name).string(); }
  Result<SafetensorsFile> readRaw(const std::string& bytes) {
    std::ofstream(path("raw.safetensors"), std::ios::binary) << bytes;
    return readSafetensors(path("raw.safetensors"));
  }
  std::unique_ptr<QTemporaryDir> m_dir;
};

void SafetensorsTest::roundTripIsBitExact() {
  const float nan = std::bit_cast<float>(0x7fc12345u);  // a NaN with a payload
  const std::vector<NamedTensor> tensors{
      {"fc1.weight", Shape{2, 3}, {1.0f, -0.0f, 1e-45f, std::numeric_limits<float>::max(), nan, -INFINITY}},
      {"fc1.bias", Shape{3}, {0.1f, 0.2f, 0.3f}},
      {"scalar", Shape{}, {42.5f}},
      {"empty", Shape{0, 4}, {}},
      {"conv.weight", Shape{2, 1, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}},
  };
  const SafetensorsMetadata metadata{{"format", "pt"}, {"ffnlab.project", "spiral — ünïcode"}};
  Status saved = writeSafetensors(path("w.safetensors"), tensors, metadata);
  QVERIFY2(saved.ok(), saved.ok() ? "" : saved.message().c_str());
  auto read = readSafetensors(path("w.safetensors"));
  QVERIFY2(read.ok(), read.ok() ? "" : read.message().c_str());
  QCOMPARE(read->tensors.size(), tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    QCOMPARE(read->tensors[i].name, tensors[i].name);  // data order = written order
    QVERIFY(read->tensors[i].shape == tensors[i].shape);
    QCOMPARE(bits(read->tensors[i].values), bits(tensors[i].values));
  }
  QVERIFY(read->metadata == metadata);
  QVERIFY(read->find("scalar") != nullptr);
  QVERIFY(read->find("missing") == nullptr);
  // Writing what was read gives the same bytes.
  QVERIFY(writeSafetensors(path("again.safetensors"), read->tensors, read->metadata).ok());
  QCOMPARE(fileBytes(path("again.safetensors")), fileBytes(path("w.safetensors")));
}

void SafetensorsTest::writesStandardLayout() {
  const std::vector<NamedTensor> tensors{{"b", Shape{2}, {1.0f, -2.5f}}, {"a", Shape{1, 1}, {3.0f}}};
  QVERIFY(writeSafetensors(path("w.safetensors"), tensors, {{"format", "pt"}}).ok());
  const std::string bytes = fileBytes(path("w.safetensors"));
  std::uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  QCOMPARE(length % 8, std::uint64_t{0});  // data 8-byte aligned
  QCOMPARE(bytes.size(), std::size_t(8 + length + 12));
  const std::string header = bytes.substr(8, length);
  QCOMPARE(header.find_last_not_of(' ') + 1 + (8 - (header.find_last_not_of(' ') + 1) % 8) % 8, header.size());
  const auto json = nlohmann::json::parse(header);
  QCOMPARE(json.dump(), nlohmann::json::parse(R"({"__metadata__": {"format": "pt"},
      "a": {"data_offsets": [8, 12], "dtype": "F32", "shape": [1, 1]},
      "b": {"data_offsets": [0, 8], "dtype": "F32", "shape": [2]}})").dump());
  QCOMPARE(bytes.substr(8 + length), littleEndian<float>({1.0f, -2.5f, 3.0f}));
}

void SafetensorsTest::readsFileFromOtherTools() {
  // The bytes Python's safetensors.torch.save_file writes for {"w": [[1, 2], [3, 4]], "b": [-1]}: compact JSON
  // padded with spaces, tensors laid out in its own order (here b first).
  std::string header =
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
      R"("w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  auto read = readRaw(rawFile(header, littleEndian<float>({-1, 1, 2, 3, 4})));
  QVERIFY2(read.ok(), read.ok() ? "" : read.message().c_str());
  QCOMPARE(read->tensors.size(), std::size_t{2});
  QCOMPARE(read->find("w")->values, (std::vector<float>{1, 2, 3, 4}));
  QVERIFY(read->find("w")->shape == (Shape{2, 2}));
  QCOMPARE(read->find("b")->values, (std::vector<float>{-1}));
  QCOMPARE(read->metadata.at("format"), std::string("pt"));
}

void SafetensorsTest::convertsOtherFloatTypes() {
  const std::string header =
      R"({"h":{"dtype":"F16","shape":[6],"data_offsets":[0,12]},)"
      R"("bf":{"dtype":"BF16","shape":[2],"data_offsets":[12,16]},)"
      R"("d":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}})";
  // F16: 1, -2, 65504 (largest), 2^-24 (smallest subnormal), +inf, 0.333 (0x3555 = 0.33325195...)
  const std::string data = littleEndian<std::uint16_t>({0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555}) +
                           littleEndian<std::uint16_t>({0x3F80, 0xC060}) +  // BF16: 1, -3.5
                           littleEndian<double>({0.1, -1e300});
  auto read = readRaw(rawFile(header, data));
  QVERIFY2(read.ok(), read.ok() ? "" : read.message().c_str());
  QCOMPARE(read->find("h")->values,
           (std::vector<float>{1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24), INFINITY, 0.33325195f}));
  QCOMPARE(read->find("bf")->values, (std::vector<float>{1.0f, -3.5f}));
  QCOMPARE(read->find("d")->values, (std::vector<float>{0.1f, -INFINITY}));
}

void SafetensorsTest::refusesDamage_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QString>("message");
  auto row = [](const char* name, const std::string& bytes, const char* message) {
    QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << message;
  };
  const std::string data8(8, '\0');
  auto tensor = [](const char* extra) {
    return std::string(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8])") + extra + "}}";
  };
  row("empty file", "", "too short (0 bytes)");
  row("shorter than the length", "abc", "too short (3 bytes)");
  row("header longer than file", rawFile("{}", data8, 1000), "header claims 1000 bytes, but the file has only 10");
  row("header not JSON", rawFile("{\"t\": [", data8), "header is not valid JSON");
  row("header not an object", rawFile("[1, 2]", ""), "header must be a JSON object");
  row("entry not an object", rawFile(R"({"t": 5})", ""), "tensor 't': its header entry must be a JSON object");
  row("no dtype", rawFile(R"({"t":{"shape":[2],"data_offsets":[0,8]}})", data8), "tensor 't': 'dtype' must be a string");
  row("integer dtype", rawFile(R"({"t":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})", data8),
      "tensor 't' has dtype I32; FFN Lab reads F32 (and converts F16, BF16 and F64)");
  row("8-bit float dtype", rawFile(R"({"t":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", data8),
      "has dtype F8_E4M3");
  row("unknown entry field", rawFile(tensor(R"(,"scale":2)"), data8), "tensor 't': unknown field 'scale'");
  row("negative dimension", rawFile(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data8),
      "tensor 't': 'shape' must hold whole numbers >= 0, got [-2]");
  row("fractional dimension", rawFile(R"({"t":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", data8),
      "'shape' must hold whole numbers >= 0");
  row("offsets not a pair", rawFile(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", data8),
      "tensor 't': 'data_offsets' must be two whole numbers");
  row("offsets past the end", rawFile(R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", data8),
      "tensor 't': data_offsets [0, 16] lie outside the 8 bytes of data");
  row("offsets reversed", rawFile(R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", data8),
      "data_offsets [8, 0] lie outside");
  row("shape does not match bytes", rawFile(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data8),
      "tensor 't': shape [3] of F32 does not match its 8 bytes of data");
  row("overlapping tensors",
      rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
              data8),
      "tensors 'a' and 'b' overlap");
  row("gap between tensors",
      rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
              std::string(12, '\0')),
      "there are 4 unused bytes before tensor 'b'");
  row("bytes after the data", rawFile(tensor(""), std::string(12, '\0')), "there are 4 bytes after the last tensor's data");
  row("metadata not strings", rawFile(R"({"__metadata__":{"epoch":3}})", ""), "metadata 'epoch' must be a string, not number");
  row("metadata not an object", rawFile(R"({"__metadata__":[1]})", ""), "__metadata__ must be a JSON object");
  // 2^32 * 2^32 wraps to 0 in 64-bit arithmetic: a naive product would accept an empty data span.
  row("element count wrapping to zero",
      rawFile(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", ""),
      "shape [4294967296, 4294967296] of F32 does not match its 0 bytes of data");
}

void SafetensorsTest::refusesDamage() {
  QFETCH(QByteArray, bytes);
  QFETCH(QString, message);
  auto read = readRaw(bytes.toStdString());
  QVERIFY(!read.ok());
  QVERIFY2(read.message().find(message.toStdString()) != std::string::npos, read.message().c_str());
  QVERIFY2(read.message().find("raw.safetensors") != std::string::npos, read.message().c_str());
}

void SafetensorsTest::refusesHugeHeaderWithoutReadingIt() {
  // A sparse 300 MB file whose header claims 200 MB: within the file, but over the 100 MB limit.
  {
    std::ofstream out(path("big.safetensors"), std::ios::binary);
    out << rawFile("{}", "", 200'000'000);
  }
  fs::resize_file(path("big.safetensors"), 300'000'000);
  QElapsedTimer timer;
  timer.start();
  auto read = readSafetensors(path("big.safetensors"));
  QVERIFY(!read.ok());
  QVERIFY2(read.message().find("header claims 200000000 bytes, more than the 100000000 allowed") != std::string::npos,
           read.message().c_str());
  QVERIFY(timer.elapsed() < 1000);
}

void SafetensorsTest::refusesHugeClaimsFast() {
  // 10^12 floats (4 TB) claimed by a 100-byte file: refused from the header alone, nothing allocated.
  QElapsedTimer timer;
  timer.start();
  auto outside = readRaw(rawFile(R"({"t":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4000000000000]}})", ""));
  QVERIFY(!outside.ok());
  QVERIFY2(outside.message().find("lie outside the 0 bytes") != std::string::npos, outside.message().c_str());
  auto mismatched = readRaw(rawFile(R"({"t":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,8]}})", std::string(8, '\0')));
  QVERIFY(!mismatched.ok());
  QVERIFY2(mismatched.message().find("does not match its 8 bytes") != std::string::npos, mismatched.message().c_str());
  QVERIFY(timer.elapsed() < 1000);
}

void SafetensorsTest::writerRefusesBadInput() {
  auto duplicate = encodeSafetensors({{"a", Shape{1}, {1}}, {"a", Shape{1}, {2}}});
  QVERIFY(!duplicate.ok());
  QVERIFY2(duplicate.message().find("two tensors are named 'a'") != std::string::npos, duplicate.message().c_str());
  auto count = encodeSafetensors({{"a", Shape{2, 2}, {1, 2, 3}}});
  QVERIFY(!count.ok());
  QVERIFY2(count.message().find("tensor 'a' has 3 values for shape [2, 2]") != std::string::npos, count.message().c_str());
  auto reserved = encodeSafetensors({{"__metadata__", Shape{1}, {1}}});
  QVERIFY(!reserved.ok());
  Status saved = writeSafetensors(path("x.safetensors"), {{"a", Shape{2}, {1}}});
  QVERIFY(!saved.ok());
  QVERIFY(!fs::exists(path("x.safetensors")));
}

void SafetensorsTest::reportsMissingFile() {
  auto read = readSafetensors(path("missing.safetensors"));
  QVERIFY(!read.ok());
  QVERIFY2(read.message().find("No such file or directory") != std::string::npos, read.message().c_str());
}

QTEST_APPLESS_MAIN(SafetensorsTest)
#include "tst_safetensors.moc"
