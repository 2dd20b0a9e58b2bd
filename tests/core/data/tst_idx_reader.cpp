// IdxReader: IDX files written byte for byte (plain and gzip) read back exactly, and every kind of bad file
// refused with a message that says what is wrong, without trusting the header with memory.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <filesystem>

#include "core/data/IdxReader.h"
#include "tests/core/data/DataTestFiles.h"

using namespace ffn;
using namespace ffn::test;

namespace {
bool sameBytes(const PixelBytes& read, const std::vector<std::uint8_t>& written) {
  return std::equal(read.begin(), read.end(), written.begin(), written.end());
}
}  // namespace

class IdxReaderTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QVERIFY(m_dir.isValid()); }
  void readsBackExactly_data();
  void readsBackExactly();
  void readsFirstRecordsOnly();
  void readsMoreThanOneChunkCompactly();
  void missingFile();
  void badMagic_data();
  void badMagic();
  void wrongType();
  void truncatedPayload_data();
  void truncatedPayload();
  void truncatedGzipStream();
  void countMismatch();
  void labelOutOfRange();
  void hugeClaimRefusedQuickly_data();
  void hugeClaimRefusedQuickly();

 private:
  std::string path(const std::string& name) const { return (m_dir.path() + "/").toStdString() + name; }
  QTemporaryDir m_dir;
};

void IdxReaderTest::readsBackExactly_data() {
  QTest::addColumn<bool>("gzip");
  QTest::newRow("plain") << false;
  QTest::newRow("gzip") << true;
}

void IdxReaderTest::readsBackExactly() {
  QFETCH(bool, gzip);
  const auto pixels = pixelPattern(3 * 4 * 5);
  const std::vector<std::uint8_t> labels{2, 0, 1};
  QVERIFY(writeBytes(path("images"), idxBytes({3, 4, 5}, pixels), gzip));
  QVERIFY(writeBytes(path("labels"), idxBytes({3}, labels), gzip));

  auto raw = IdxReader::read(path("images"));
  QVERIFY2(raw.ok(), raw.ok() ? "" : raw.message().c_str());
  QCOMPARE(raw->dims, (std::vector<std::int64_t>{3, 4, 5}));
  QCOMPARE(raw->fileRecords, std::int64_t{3});
  QVERIFY(sameBytes(raw->data, pixels));

  auto data = IdxReader::readImages(path("images"), path("labels"), {"a", "b", "c"});
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  const ImageDataset& images = **data;
  QCOMPARE(images.size(), std::int64_t{3});
  QCOMPARE(images.sampleShape(), (Shape{1, 4, 5}));
  QCOMPARE(images.classCount(), 3);
  for (std::int64_t i = 0; i < 3; ++i) {
    QCOMPARE(images.label(i), int{labels[static_cast<std::size_t>(i)]});
    const auto sample = images.pixels(i);
    QVERIFY(std::equal(sample.begin(), sample.end(), pixels.begin() + i * 20));
  }
}

void IdxReaderTest::readsFirstRecordsOnly() {
  const auto pixels = pixelPattern(5 * 2 * 2);
  QVERIFY(writeBytes(path("images"), idxBytes({5, 2, 2}, pixels), true));
  QVERIFY(writeBytes(path("labels"), idxBytes({5}, {4, 3, 2, 1, 0}), true));
  auto data = IdxReader::readImages(path("images"), path("labels"), {}, 2);
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE((*data)->size(), std::int64_t{2});
  QCOMPARE((*data)->label(1), 3);
  // Classes inferred from the labels read: 0..4.
  QCOMPARE((*data)->classCount(), 5);
  const auto second = (*data)->pixels(1);
  QVERIFY(std::equal(second.begin(), second.end(), pixels.begin() + 4));
}

void IdxReaderTest::readsMoreThanOneChunkCompactly() {
  // 3000 images of 28 x 28 = 2.35 MB: several 1 MB chunks and growth steps.
  const auto pixels = pixelPattern(3000 * 28 * 28);
  QVERIFY(writeBytes(path("big"), idxBytes({3000, 28, 28}, pixels), true));
  auto raw = IdxReader::read(path("big"));
  QVERIFY2(raw.ok(), raw.ok() ? "" : raw.message().c_str());
  QVERIFY(sameBytes(raw->data, pixels));
  QCOMPARE(raw->data.capacity(), pixels.size());  // no spare capacity left by the chunked growth
}

void IdxReaderTest::missingFile() {
  auto raw = IdxReader::read(path("nowhere.gz"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find("nowhere.gz': file not found") != std::string::npos, raw.message().c_str());
}

void IdxReaderTest::badMagic_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::newRow("zip header") << QByteArray("PK\x03\x04\0\0\0\0", 8);
  QTest::newRow("rank 0") << QByteArray("\0\0\x08\0\0\0\0\0", 8);
  QTest::newRow("unknown type 0x07") << QByteArray("\0\0\x07\x01\0\0\0\x01", 8);
}

void IdxReaderTest::badMagic() {
  QFETCH(QByteArray, bytes);
  QVERIFY(writeBytes(path("bad"), std::vector<std::uint8_t>(bytes.begin(), bytes.end()), true));
  auto raw = IdxReader::read(path("bad"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find("not an IDX file (magic number 0x") != std::string::npos, raw.message().c_str());
}

void IdxReaderTest::wrongType() {
  QVERIFY(writeBytes(path("floats"), idxBytes({2}, std::vector<std::uint8_t>(8, 0), 0x0D), false));
  auto raw = IdxReader::read(path("floats"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find("holds float32 values (type 0x0D); only unsigned bytes") != std::string::npos,
           raw.message().c_str());
}

void IdxReaderTest::truncatedPayload_data() {
  QTest::addColumn<bool>("gzip");
  QTest::newRow("plain") << false;
  QTest::newRow("gzip") << true;
}

void IdxReaderTest::truncatedPayload() {
  QFETCH(bool, gzip);
  // The header claims 10 images of 4 x 5, the file carries 5.
  QVERIFY(writeBytes(path("short"), idxBytes({10, 4, 5}, pixelPattern(5 * 20)), gzip));
  auto raw = IdxReader::read(path("short"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find("truncated") != std::string::npos, raw.message().c_str());
  QVERIFY2(raw.message().find("10 x 4 x 5") != std::string::npos, raw.message().c_str());
}

void IdxReaderTest::truncatedGzipStream() {
  // A valid gzip file cut in half: the compressed stream itself ends early.
  QVERIFY(writeBytes(path("cut"), idxBytes({100, 28, 28}, pixelPattern(100 * 784)), true));
  const auto size = std::filesystem::file_size(path("cut"));
  std::filesystem::resize_file(path("cut"), size / 2);
  auto raw = IdxReader::read(path("cut"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find("truncated") != std::string::npos, raw.message().c_str());
}

void IdxReaderTest::countMismatch() {
  QVERIFY(writeBytes(path("images"), idxBytes({3, 2, 2}, pixelPattern(12)), true));
  QVERIFY(writeBytes(path("labels"), idxBytes({2}, {0, 1}), true));
  auto data = IdxReader::readImages(path("images"), path("labels"), {"a", "b"});
  QVERIFY(!data.ok());
  QVERIFY2(data.message().find("holds 3 images but") != std::string::npos, data.message().c_str());
  QVERIFY2(data.message().find("holds 2 labels") != std::string::npos, data.message().c_str());
}

void IdxReaderTest::labelOutOfRange() {
  QVERIFY(writeBytes(path("images"), idxBytes({3, 2, 2}, pixelPattern(12)), false));
  QVERIFY(writeBytes(path("labels"), idxBytes({3}, {0, 12, 1}), false));
  std::vector<std::string> ten(10, "c");
  auto data = IdxReader::readImages(path("images"), path("labels"), ten);
  QVERIFY(!data.ok());
  QVERIFY2(data.message().find("label 12 of sample 1 is outside 0..9") != std::string::npos, data.message().c_str());
}

void IdxReaderTest::hugeClaimRefusedQuickly_data() {
  QTest::addColumn<bool>("gzip");
  QTest::addColumn<QList<int>>("dims");
  QTest::addColumn<QString>("expected");
  // 10^12 values: over the 2^31 cap whatever the file.
  QTest::newRow("10^12, plain") << false << QList<int>{1000000, 1000, 1000} << "more than the 2^31";
  QTest::newRow("10^12, gzip") << true << QList<int>{1000000, 1000, 1000} << "more than the 2^31";
  // 10^9 values: under the cap, but far beyond what a tiny gzip file can expand to.
  QTest::newRow("10^9, gzip") << true << QList<int>{1000, 1000, 1000} << "more than a gzip file of";
  QTest::newRow("10^9, plain") << false << QList<int>{1000, 1000, 1000} << "truncated";
}

void IdxReaderTest::hugeClaimRefusedQuickly() {
  QFETCH(bool, gzip);
  QFETCH(QList<int>, dims);
  QFETCH(QString, expected);
  std::vector<std::uint32_t> claimed;
  for (int d : dims) claimed.push_back(static_cast<std::uint32_t>(d));
  QVERIFY(writeBytes(path("huge"), idxBytes(claimed, pixelPattern(64)), gzip));
  QElapsedTimer timer;
  timer.start();
  auto raw = IdxReader::read(path("huge"));
  // Allocating and filling 1 GB (let alone 1 TB) would take far longer than this.
  QVERIFY2(timer.elapsed() < 200, qPrintable(QString::number(timer.elapsed()) + " ms"));
  QVERIFY(!raw.ok());
  QVERIFY2(raw.message().find(expected.toStdString()) != std::string::npos, raw.message().c_str());
}

QTEST_APPLESS_MAIN(IdxReaderTest)
#include "tst_idx_reader.moc"
