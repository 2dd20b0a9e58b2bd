// The OpenCL device failing in the middle of a training run (injected through OpenClOptions' test seam after a
// number of ops, once the run has put its data on the device):
// - ops that start failing run on the CPU instead: the run finishes with the numbers of a CPU run and a warning
//   that says what happened;
// - a lost device (reading results back fails too, so values only the device held are gone): the run stops with
//   a message, and the network keeps finite weights — those at the start of the failing epoch.
// Skipped when the build has no OpenCL or the machine no OpenCL device.
#include <QtTest>

#ifdef FFN_HAVE_OPENCL
#include <cstring>

#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/opencl/OpenClBackend.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/ExampleProjects.h"

using namespace ffn;
using namespace ffn::test;

namespace {

// Two epochs of the spiral example, small enough for a few seconds on PoCL.
Project smallSpiral() {
  Project project = exampleProject("spiral-bp.ffnlab");
  project.training.epochs = 2;
  project.graph.node("dense1")->params["units"] = 16;
  return project;
}

struct Outcome {
  Result<TrainingSummary> summary = Error{"not run"};
  std::vector<float> weights;
  std::vector<std::vector<float>> epochStartWeights;  // the weights as each epoch began
  std::int64_t steps = 0;
};

Outcome train(Backend& backend) {
  auto run = exampleRun(smallSpiral(), backend);
  Outcome outcome;
  auto keep = [&] {
    const auto values = run->network().weights().values();
    outcome.epochStartWeights.emplace_back(values.begin(), values.end());
  };
  keep();
  outcome.summary = run->trainer().run({}, [&](const TrainingProgress& p) {
    outcome.steps = p.step;
    if (p.epochEnd) keep();
  });
  const auto values = run->network().weights().values();
  outcome.weights.assign(values.begin(), values.end());
  return outcome;
}

std::unique_ptr<OpenClBackend> failingDevice(std::int64_t afterOps, bool transfersToo) {
  OpenClOptions options;
  options.failAfterOpsForTesting = afterOps;
  options.failTransfersForTesting = transfersToo;
  auto device = OpenClBackend::create(0, options);
  if (!device) qFatal("%s", device.message().c_str());
  return std::move(*device);
}

}  // namespace

class OpenClFaultsTest : public QObject {
  Q_OBJECT

 private:
  Outcome m_cpu;

 private Q_SLOTS:
  void initTestCase() {
    useBuildFolderProgramCache();
    const DeviceList list = DeviceRegistry::openClDevices();
    if (list.devices.empty()) QSKIP(("no OpenCL device: " + list.problem).c_str());
    CpuBackend cpu;
    m_cpu = train(cpu);
    QVERIFY2(m_cpu.summary.ok(), m_cpu.summary.ok() ? "" : m_cpu.summary.message().c_str());
    QVERIFY(m_cpu.steps > 4);
  }

  void failingOpsFallBackToCpuAndFinish() {
    auto device = failingDevice(300, false);  // a few steps in: weights and data live on the device by then
    const Outcome got = train(*device);
    QVERIFY2(got.summary.ok(), got.summary.ok() ? "" : got.summary.message().c_str());
    QCOMPARE(got.steps, m_cpu.steps);
    QVERIFY(device->transferStats().uploads > 0);  // the device did work before it failed
    const double error = normalisedMse(got.weights, m_cpu.weights);
    qInfo("weights after the run against the CPU run: normalised MSE %.3g", error);
    QVERIFY2(error < 1e-8, std::to_string(error).c_str());
    const std::string warnings = device->takeWarnings();
    QVERIFY2(warnings.find("ran on the CPU instead") != std::string::npos, warnings.c_str());
    QVERIFY2(warnings.find("injected") != std::string::npos, warnings.c_str());
  }

  void lostDeviceStopsWithMessageAndGoodWeights() {
    auto device = failingDevice(300, true);
    const Outcome got = train(*device);
    QVERIFY(!got.summary.ok());
    const QString message = QString::fromStdString(got.summary.message());
    qInfo("%s", qPrintable(message));
    QVERIFY2(message.contains("training stopped at epoch") && message.contains("NaN"), qPrintable(message));
    QVERIFY2(message.contains("restored to those at the start of the epoch"), qPrintable(message));
    QCOMPARE(got.weights.size(), m_cpu.weights.size());
    for (const float w : got.weights) QVERIFY(std::isfinite(w));
    // The weights are exactly those the run had when the failing epoch began.
    const auto failedEpoch = static_cast<std::size_t>(got.epochStartWeights.size());
    QVERIFY2(message.contains(QStringLiteral("training stopped at epoch %1,").arg(failedEpoch)), qPrintable(message));
    QVERIFY(std::memcmp(got.weights.data(), got.epochStartWeights.back().data(), sizeof(float) * got.weights.size()) ==
            0);
    const std::string warnings = device->takeWarnings();
    QVERIFY2(warnings.find("reading results back") != std::string::npos, warnings.c_str());
  }

  void seamIsOffByDefault() {
    auto device = OpenClBackend::create(0);
    QVERIFY(device.ok());
    const Outcome got = train(**device);
    QVERIFY(got.summary.ok());
    QVERIFY(normalisedMse(got.weights, m_cpu.weights) < 1e-8);
    const std::string warnings = (*device)->takeWarnings();
    QVERIFY2(warnings.empty(), warnings.c_str());  // the transfer failures of the lost device did not linger
  }
};

#else

class OpenClFaultsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void skipped() { QSKIP("this build has no OpenCL backend"); }
};

#endif

QTEST_GUILESS_MAIN(OpenClFaultsTest)
#include "tst_opencl_faults.moc"
