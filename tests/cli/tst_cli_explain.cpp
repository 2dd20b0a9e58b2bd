// ffnlab-cli explain and attribution-eval as a user runs them on a Fashion-MNIST MLP trained for one epoch:
// the PNG grid on disk matches the size the JSON reports, composites change the picture, LRP beats a random
// order in the perturbation test, and bad input gets a one-line error and a non-zero exit code.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtEndian>

#include "tests/cli/CliRunner.h"

class CliExplainTest : public QObject {
  Q_OBJECT

 private:
  using Outcome = ffn::test::CliOutcome;
  Outcome cli(const QStringList& args) { return ffn::test::runCli(args); }
  QString project() const { return ffn::test::exampleProject("fmnist-mlp-bp.ffnlab"); }

  QTemporaryDir m_dir;
  QString m_weights;

  // Width and height from a PNG's IHDR chunk (bytes 16..23), or (-1, -1) when it is not a PNG.
  static QSize pngSize(const QByteArray& bytes) {
    if (bytes.size() < 24 || !bytes.startsWith("\x89PNG\r\n\x1a\n")) return {-1, -1};
    const auto* p = reinterpret_cast<const uchar*>(bytes.constData());
    return {static_cast<int>(qFromBigEndian<quint32>(p + 16)), static_cast<int>(qFromBigEndian<quint32>(p + 20))};
  }

  static QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
  }

  Outcome explain(const QString& composite, const QString& out) {
    return cli({"explain", project(), "--weights", m_weights, "--composite", composite, "--samples", "0-7",
                "--columns", "4", "--out", out, "--threads", "2"});
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_weights = m_dir.filePath("mlp.safetensors");
    const Outcome train = cli({"train", project(), "--epochs", "1", "--threads", "2", "--save-weights", m_weights});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
  }

  void explainWritesTheGridItReports() {
    const QString out = m_dir.filePath("epsilon.png");
    const Outcome result = explain("epsilon", out);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QJsonObject json = result.lastJson();
    QCOMPARE(json["command"].toString(), QString("explain"));
    QCOMPARE(json["composite"].toString(), QString("epsilon"));
    QCOMPARE(json["samples"].toArray().size(), 8);
    QCOMPARE(json["classes"].toArray().size(), 8);
    QVERIFY(json.contains("target") && !json["target"].toString().isEmpty());
    // Relevance sums and scores are reported per sample; with epsilon = 1e-6 only the biases absorb relevance, so
    // the median deviation is small but the key must be a real number.
    const double conservation = json["conservation_error"].toDouble(-1.0);
    QVERIFY2(conservation >= 0.0 && conservation < 1.0, qPrintable(QString::number(conservation)));
    const QSize size = pngSize(readAll(out));
    QCOMPARE(size, QSize(json["width"].toInt(), json["height"].toInt()));
    QVERIFY(size.width() >= 4 * 28 && size.height() >= 2 * 28);  // 4 columns x 2 rows of 28x28 maps
  }

  void compositesDrawDifferentMaps() {
    const QString epsilon = m_dir.filePath("a.png"), plus = m_dir.filePath("b.png"), again = m_dir.filePath("c.png");
    QCOMPARE(explain("epsilon", epsilon).exitCode, 0);
    QCOMPARE(explain("epsilon-plus", plus).exitCode, 0);
    QCOMPARE(explain("epsilon", again).exitCode, 0);
    QCOMPARE(readAll(epsilon), readAll(again));  // deterministic
    QVERIFY(readAll(epsilon) != readAll(plus));
  }

  void attributionEvalBeatsARandomOrder() {
    const Outcome result = cli({"attribution-eval", project(), "--weights", m_weights, "--composite",
                                "epsilon-plus", "--samples", "300", "--batch", "100", "--steps", "10", "--threads", "2"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QJsonObject json = result.lastJson();
    QCOMPARE(json["samples"].toInt(), 300);
    QCOMPARE(json["morf"].toArray().size(), 11);  // steps + 1 points, the unperturbed input first
    QCOMPARE(json["lerf_random"].toArray().size(), 11);
    const double abpc = json["abpc"].toDouble(), random = json["abpc_random"].toDouble();
    QVERIFY2(abpc > random + 1.0, qPrintable(QString("ABPC %1 vs random %2").arg(abpc).arg(random)));
    QVERIFY(json["seconds"].toDouble() > 0.0);
  }

  void badInputIsRefusedInOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString png = m_dir.filePath("never.png");
    QTest::newRow("unknown composite") << QStringList{"explain", project(), "--weights", m_weights, "--composite",
                                                       "no-such", "--out", png}
                                       << "unknown LRP composite";
    QTest::newRow("sample out of range") << QStringList{"explain", project(), "--weights", m_weights, "--samples",
                                                         "9999999", "--out", png}
                                         << "9999999";
    QTest::newRow("unknown baseline") << QStringList{"attribution-eval", project(), "--weights", m_weights,
                                                      "--baseline", "purple", "--samples", "10"}
                                      << "purple";
  }

  void badInputIsRefusedInOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Outcome result = cli(args);
    QVERIFY(result.exitCode != 0);
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    QVERIFY2(!QFile::exists(m_dir.filePath("never.png")), "a failed explain must not leave a picture behind");
  }

  void weightsOfAnotherNetworkAreRefused() {
    const QString spiral = m_dir.filePath("spiral.safetensors");
    QCOMPARE(cli({"train", ffn::test::exampleProject("spiral-bp.ffnlab"), "--epochs", "1", "--save-weights", spiral})
                 .exitCode,
             0);
    const Outcome result = cli({"explain", project(), "--weights", spiral, "--out", m_dir.filePath("x.png")});
    QVERIFY(result.exitCode != 0);
    QVERIFY2(result.err.contains("tensor"), qPrintable(result.err));
  }
};

QTEST_GUILESS_MAIN(CliExplainTest)
#include "tst_cli_explain.moc"
