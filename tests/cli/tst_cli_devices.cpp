// ffnlab-cli and compute devices as a user meets them: `devices` lists the CPU and every OpenCL device, `train
// --device` runs on the device asked for (or the project's), a device that is not there (simulated with
// FFN_OPENCL_DISABLE=1, as on a machine without an OpenCL driver) falls back to the CPU with a warning and the
// same numbers, and a training run on an OpenCL device matches the CPU run up to float rounding.
#include <QtTest>

#include <QJsonArray>
#include <QTemporaryDir>

#include "tests/cli/CliRunner.h"

class CliDevicesTest : public QObject {
  Q_OBJECT

 private:
  using Outcome = ffn::test::CliOutcome;

  Outcome cli(const QStringList& args, bool hideOpenCl = false) {
    // Compiled kernels go to the build folder, not the user's cache.
    QStringList env{"FFN_OPENCL_CACHE_DIR=" + QString(FFN_BINARY_DIR) + "/opencl-cache"};
    if (hideOpenCl) env << "FFN_OPENCL_DISABLE=1";
    return ffn::test::runCli(args, env);
  }
  QString example(const char* name) { return ffn::test::exampleProject(name); }

  // The OpenCL specs `devices` lists here.
  QStringList openClSpecs() {
    QStringList specs;
    for (const auto& device : cli({"devices"}).lastJson()["devices"].toArray())
      if (device.toObject()["spec"].toString().startsWith("opencl:")) specs << device.toObject()["spec"].toString();
    return specs;
  }

 private Q_SLOTS:
  void devicesListsCpuFirst() {
    const Outcome listed = cli({"devices"});
    QCOMPARE(listed.exitCode, 0);
    const QJsonObject result = listed.lastJson();
    QCOMPARE(result["command"].toString(), QString("devices"));
    const QJsonArray devices = result["devices"].toArray();
    QVERIFY(!devices.isEmpty());
    QCOMPARE(devices[0].toObject()["spec"].toString(), QString("cpu"));
    for (int i = 1; i < devices.size(); ++i) {
      const QJsonObject device = devices[i].toObject();
      QCOMPARE(device["spec"].toString(), QString("opencl:%1").arg(i - 1));
      QVERIFY(!device["name"].toString().isEmpty());
      QVERIFY(device["compute_units"].toInt() > 0);
    }
    if (devices.size() == 1) QVERIFY(!result["opencl_problem"].toString().isEmpty());  // it says why
  }

  void noOpenClDeviceListsOnlyTheCpu() {
    const Outcome listed = cli({"devices"}, true);
    QCOMPARE(listed.exitCode, 0);
    const QJsonObject result = listed.lastJson();
    QCOMPARE(result["devices"].toArray().size(), 1);
    QVERIFY(result["opencl_problem"].toString().contains("FFN_OPENCL_DISABLE"));
    QVERIFY(result["opencl_default"].toString().isEmpty());
  }

  void missingDeviceFallsBackToTheCpu() {
    const QStringList args{"train", example("spiral-bp.ffnlab"), "--epochs", "3", "--seed", "5"};
    const Outcome onCpu = cli(args + QStringList{"--device", "cpu"});
    QVERIFY2(onCpu.exitCode == 0, qPrintable(onCpu.err));
    for (const char* spec : {"opencl", "opencl:0"}) {
      const Outcome fallback = cli(args + QStringList{"--device", spec}, true);
      QVERIFY2(fallback.exitCode == 0, qPrintable(fallback.err));
      QVERIFY2(fallback.err.contains("computing on the CPU"), qPrintable(fallback.err));
      QCOMPARE(fallback.lastJson()["device"].toString(), QString("cpu"));
      QCOMPARE(fallback.lastJson()["train_loss"].toDouble(), onCpu.lastJson()["train_loss"].toDouble());
    }
  }

  void projectDeviceSettingIsUsed() {
    // The spiral example asking for "opencl" in its file, run without --device on a machine without OpenCL.
    QFile source(example("spiral-bp.ffnlab"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QJsonObject project = QJsonDocument::fromJson(source.readAll()).object();
    project["device"] = "opencl";
    QTemporaryDir dir;
    QFile copy(dir.filePath("spiral-opencl.ffnlab"));
    QVERIFY(copy.open(QIODevice::WriteOnly));
    copy.write(QJsonDocument(project).toJson());
    copy.close();
    const Outcome outcome = cli({"train", copy.fileName(), "--epochs", "1"}, true);
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
    QVERIFY2(outcome.err.contains("compute device 'opencl' is not available"), qPrintable(outcome.err));
    QCOMPARE(outcome.lastJson()["device"].toString(), QString("cpu"));
  }

  void unknownDeviceIsNamed() {
    const Outcome outcome = cli({"train", example("spiral-bp.ffnlab"), "--epochs", "1", "--device", "cuda"});
    QCOMPARE(outcome.exitCode, 0);  // it still trains, on the CPU
    QVERIFY2(outcome.err.contains("unknown compute device 'cuda'"), qPrintable(outcome.err));
    QCOMPARE(outcome.lastJson()["device"].toString(), QString("cpu"));
  }

  void trainingOnOpenClMatchesTheCpu() {
    const QStringList specs = openClSpecs();
    if (specs.isEmpty()) QSKIP("no OpenCL device here");
    const QStringList args{"train", example("spiral-bp.ffnlab"), "--epochs", "4", "--seed", "5"};
    const Outcome onCpu = cli(args + QStringList{"--device", "cpu"});
    QVERIFY2(onCpu.exitCode == 0, qPrintable(onCpu.err));
    const Outcome onDevice = cli(args + QStringList{"--device", specs.first()});
    QVERIFY2(onDevice.exitCode == 0, qPrintable(onDevice.err));
    QVERIFY2(!onDevice.err.contains("warning"), qPrintable(onDevice.err));
    QCOMPARE(onDevice.lastJson()["device"].toString(), specs.first());
    const double want = onCpu.lastJson()["train_loss"].toDouble(), got = onDevice.lastJson()["train_loss"].toDouble();
    QVERIFY2(std::abs(got - want) <= 1e-4 * std::max(1.0, std::abs(want)),
             qPrintable(QString("train loss %1 on %2, %3 on the CPU").arg(got).arg(specs.first()).arg(want)));
    QCOMPARE(onDevice.lastJson()["test_accuracy"].toDouble(), onCpu.lastJson()["test_accuracy"].toDouble());
  }
};

QTEST_GUILESS_MAIN(CliDevicesTest)
#include "tst_cli_devices.moc"
