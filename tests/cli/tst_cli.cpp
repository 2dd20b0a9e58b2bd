// ffnlab-cli as a user runs it: train/eval/info on an example, the JSON last line, and one-line errors with a
// non-zero exit code for bad input.
#include <QtTest>

#include <QJsonObject>
#include <QTemporaryDir>

#include "tests/cli/CliRunner.h"

class CliTest : public QObject {
  Q_OBJECT

 private:
  using Outcome = ffn::test::CliOutcome;
  Outcome cli(const QStringList& args) { return ffn::test::runCli(args); }

  QString example(const char* name) { return ffn::test::exampleProject(name); }
  QTemporaryDir m_dir;

 private Q_SLOTS:
  void trainSaveWeightsThenEvaluate() {
    const QString weights = m_dir.filePath("spiral.safetensors"), metrics = m_dir.filePath("spiral.csv");
    const Outcome train = cli({"train", example("spiral-bp.ffnlab"), "--epochs", "60", "--seed", "3",
                               "--save-weights", weights, "--metrics", metrics});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const QJsonObject result = train.lastJson();
    for (const char* key : {"rule", "epochs", "seed", "train_loss", "test_accuracy", "seconds_per_epoch"})
      QVERIFY2(result.contains(key), key);
    QCOMPARE(result["rule"].toString(), QString("backprop"));
    QCOMPARE(result["epochs"].toInt(), 60);
    QCOMPARE(result["seed"].toInt(), 3);
    QVERIFY(result["test_accuracy"].toDouble() > 0.8);

    QFile csv(metrics);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto rows = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(rows.size(), 61);  // header + one row per epoch
    QVERIFY(rows.first().startsWith("epoch,step,train_loss"));

    const Outcome eval = cli({"eval", example("spiral-bp.ffnlab"), "--weights", weights});
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    // The saved weights reproduce the trained network's test accuracy exactly.
    QCOMPARE(eval.lastJson()["test_accuracy"].toDouble(), result["test_accuracy"].toDouble());
  }

  void sameSeedSameNumbers() {
    const Outcome a = cli({"train", example("spiral-bp.ffnlab"), "--epochs", "5"});
    const Outcome b = cli({"train", example("spiral-bp.ffnlab"), "--epochs", "5"});
    QCOMPARE(a.lastJson()["train_loss"].toDouble(), b.lastJson()["train_loss"].toDouble());
  }

  void infoSummarisesTheGraph() {
    const Outcome info = cli({"info", example("fmnist-mlp-bp.ffnlab")});
    QCOMPARE(info.exitCode, 0);
    const QJsonObject result = info.lastJson();
    QVERIFY(result["valid"].toBool());
    QCOMPARE(result["weights"].toInt(), 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
    QCOMPARE(result["flops_per_sample"].toInt(), 2 * (784 * 256 + 256 * 256 + 256 * 10));
  }

  void errorsAreOneLineAndNonZero_data() {
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{ this is not" << "not valid JSON";
    QTest::newRow("future version") << R"({"format":"ffnlab-project","version":99})" << "newer FFN Lab";
    QTest::newRow("unknown rule")
        << QString::fromUtf8(R"({"format":"ffnlab-project","version":1,"training":{"rule":"magic"},)"
                             R"("dataset":{"kind":"xor"},"graph":{"nodes":[],"edges":[]}})")
        << "magic";
  }

  void errorsAreOneLineAndNonZero() {
    QFETCH(QString, content);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath("bad.ffnlab");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content.toUtf8());
    file.close();
    const Outcome outcome = cli({"train", path});
    QVERIFY(outcome.exitCode != 0);
    const QString err = outcome.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable(err));
    QVERIFY2(err.startsWith("ffnlab-cli: "), qPrintable(err));
    QVERIFY2(err.contains(expected, Qt::CaseInsensitive), qPrintable(err));
  }

  void missingWeightsFileIsRefused() {
    const Outcome eval = cli({"eval", example("spiral-bp.ffnlab"), "--weights", m_dir.filePath("none.safetensors")});
    QVERIFY(eval.exitCode != 0);
  }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
