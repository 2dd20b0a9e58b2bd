// The OpenCL backend beyond single ops: a short training run that must match the CPU run up to float rounding
// while the data stays on the device, the compiled-program cache (memory, disk, corrupt files rebuilt), a kernel
// build that fails, and running out of device memory (ops fall back to the CPU, with a warning, and still give
// the right numbers). Skipped when the build has no OpenCL or the machine no OpenCL device.
#include <QtTest>

#ifdef FFN_HAVE_OPENCL
#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <filesystem>

#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/opencl/OpenClBackend.h"
#include "core/base/Rng.h"
#include "core/model/Network.h"
#include "core/optim/Optimizer.h"
#include "core/rules/Backprop.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;
using opencl::ProgramOrigin;

Q_DECLARE_METATYPE(ffn::Shape)

namespace {

struct TrainingRun {
  std::vector<double> losses;  // per step
  std::vector<float> weights;  // after the last step
  opencl::TransferStats afterFirstStep, atEnd;
};

Result<TrainingRun> train(Backend& backend, const Graph& graph, const OptimizerSettings& settings, const Batch& batch,
                          int steps) {
  auto net = Network::compile(graph, backend);
  if (!net) return net.error();
  (*net)->initializeWeights(7);
  auto optimizer = Optimizer::create(settings, backend);
  if (!optimizer) return optimizer.error();
  Backprop rule;
  auto* device = dynamic_cast<OpenClBackend*>(&backend);
  TrainingRun run;
  for (int step = 0; step < steps; ++step) {
    auto stats = rule.step(**net, batch, **optimizer);
    if (!stats) return stats.error();
    run.losses.push_back(stats->loss);
    if (device && step == 0) run.afterFirstStep = device->transferStats();
  }
  if (device) run.atEnd = device->transferStats();
  const auto weights = (*net)->weights().values();
  run.weights.assign(weights.begin(), weights.end());
  return run;
}

OpenClOptions cacheIn(const QTemporaryDir& dir) {
  OpenClOptions options;
  options.cacheDirectory = dir.path().toStdString();
  return options;
}

// Runs a small op on the backend and on the CPU: the program it was given works.
bool worksLikeTheCpu(Backend& backend) {
  Tensor x = randomTensor(Shape{101}, 1), y = randomTensor(Shape{101}, 2);
  Tensor yCpu = y;
  backend.axpy(0.5f, x, y);
  CpuBackend().axpy(0.5f, x, yCpu);
  backend.activationForward(ActivationKind::GELU, 0.0f, y, y);
  CpuBackend().activationForward(ActivationKind::GELU, 0.0f, yCpu, yCpu);
  return normalisedMse(y.values(), yCpu.values()) < 1e-10;
}

}  // namespace

class OpenClBackendTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void programCache();
  void corruptCacheIsRebuilt_data();
  void corruptCacheIsRebuilt();
  void buildFailureIsAnError();
  void trainingMatchesCpu_data();
  void trainingMatchesCpu();
  void outOfMemoryFallsBackToCpu();
  void tensorsMoveBetweenDevicesAndHost();
  void floatAccumulation();
};

void OpenClBackendTest::initTestCase() {
  useBuildFolderProgramCache();
  const DeviceList list = DeviceRegistry::openClDevices();
  if (list.devices.empty()) QSKIP(("no OpenCL device: " + list.problem).c_str());
  qInfo("device: %s", list.devices.front().summary().c_str());
}

void OpenClBackendTest::programCache() {
  // Runs first: no context of the device is alive yet, so nothing is in memory.
  QTemporaryDir dir;
  auto first = OpenClBackend::create(0, cacheIn(dir));
  QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
  QCOMPARE((*first)->programOrigin(), ProgramOrigin::Source);
  const std::string file = (*first)->programCacheFile();
  QVERIFY2(std::filesystem::is_regular_file(file), file.c_str());
  QVERIFY(file.rfind(dir.path().toStdString(), 0) == 0);

  // While the first is alive, the program is in memory.
  auto second = OpenClBackend::create(0, cacheIn(dir));
  QVERIFY(second.ok());
  QCOMPARE((*second)->programOrigin(), ProgramOrigin::Memory);
  QVERIFY(worksLikeTheCpu(**second));

  // Once both are gone, it comes from the disk cache (as in a new process), and works.
  first = Error{};
  second = Error{};
  auto third = OpenClBackend::create(0, cacheIn(dir));
  QVERIFY(third.ok());
  QCOMPARE((*third)->programOrigin(), ProgramOrigin::Disk);
  QCOMPARE((*third)->programCacheFile(), file);
  QVERIFY(worksLikeTheCpu(**third));
}

void OpenClBackendTest::corruptCacheIsRebuilt_data() {
  QTest::addColumn<QString>("damage");
  QTest::newRow("flipped bytes in the binary") << "flip";
  QTest::newRow("truncated") << "truncate";
  QTest::newRow("garbage") << "garbage";
  QTest::newRow("empty") << "empty";
}

void OpenClBackendTest::corruptCacheIsRebuilt() {
  QFETCH(QString, damage);
  QTemporaryDir dir;
  std::string file;
  {
    auto backend = OpenClBackend::create(0, cacheIn(dir));
    QVERIFY(backend.ok());
    file = (*backend)->programCacheFile();
  }
  QVERIFY(std::filesystem::is_regular_file(file));
  QByteArray damaged;
  {
    QFile f(QString::fromStdString(file));
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    if (damage == "flip")
      for (qsizetype i = bytes.size() / 2; i < bytes.size() / 2 + 16; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    else if (damage == "truncate")
      bytes.truncate(bytes.size() * 2 / 3);
    else if (damage == "garbage")
      bytes = QByteArray(4096, 'x');
    else
      bytes.clear();
    QVERIFY(f.resize(0));
    QVERIFY(f.seek(0));
    QCOMPARE(f.write(bytes), bytes.size());
    damaged = bytes;
  }
  {
    auto rebuilt = OpenClBackend::create(0, cacheIn(dir));
    QVERIFY2(rebuilt.ok(), rebuilt.ok() ? "" : rebuilt.message().c_str());
    QCOMPARE((*rebuilt)->programOrigin(), ProgramOrigin::Source);
    QVERIFY(worksLikeTheCpu(**rebuilt));
  }
  // Written anew (not byte-compared with the first file: PoCL's binaries differ in size from build to build,
  // e.g. with the kernel variants its cache already holds), and the next start loads it.
  QFile rewritten(QString::fromStdString(file));
  QVERIFY(rewritten.open(QIODevice::ReadOnly));
  const QByteArray now = rewritten.readAll();
  QVERIFY(!now.isEmpty() && now != damaged);
  auto cached = OpenClBackend::create(0, cacheIn(dir));
  QVERIFY(cached.ok());
  QCOMPARE((*cached)->programOrigin(), ProgramOrigin::Disk);
}

void OpenClBackendTest::buildFailureIsAnError() {
  OpenClOptions options;
  options.cacheDirectory = "-";
  options.extraBuildOptions = "-DFFN_ROW_GROUP=(";  // breaks every kernel that sizes local memory by it
  auto backend = OpenClBackend::create(0, options);
  QVERIFY(!backend.ok());
  QVERIFY2(backend.message().find("did not compile") != std::string::npos, backend.message().c_str());
  QVERIFY2(backend.message().find("opencl:0") != std::string::npos, backend.message().c_str());
}

void OpenClBackendTest::trainingMatchesCpu_data() {
  QTest::addColumn<Shape>("input");
  QTest::addColumn<QString>("layers");  // JSON list of {kind, params}
  QTest::addColumn<QString>("loss");
  QTest::addColumn<QString>("optimizer");
  QTest::newRow("MLP, LayerNorm, GELU, Tanh; Adam")
      << Shape{23}
      << R"([["Dense", {"units": 31}], ["LayerNorm", {}], ["GELU", {}], ["Dense", {"units": 17}], ["Tanh", {}],
             ["Dense", {"units": 7}]])"
      << "cross-entropy" << R"({"kind": "adam", "lr": 0.01})";
  QTest::newRow("MLP, ReLU; Nesterov momentum with weight decay")
      << Shape{23} << R"([["Dense", {"units": 29}], ["ReLU", {}], ["Dense", {"units": 5}]])"
      << "cross-entropy" << R"({"kind": "momentum", "lr": 0.05, "nesterov": true, "weightDecay": 0.001})";
  QTest::newRow("MLP, Sigmoid, ELU; squared error, AdamW")
      << Shape{23} << R"([["Dense", {"units": 19}], ["Sigmoid", {}], ["Dense", {"units": 11}], ["ELU", {}],
                          ["Dense", {"units": 6}]])"
      << "mse" << R"({"kind": "adamw", "lr": 0.01, "weightDecay": 0.01})";
  QTest::newRow("CNN: Conv2d, MaxPool2d; SGD")
      << Shape{2, 9, 11}
      << R"([["Conv2d", {"channels": 4, "kernel": 3, "padding": 1}], ["ReLU", {}],
             ["MaxPool2d", {"kernel": 2, "stride": 2}], ["Flatten", {}], ["Dense", {"units": 5}]])"
      << "cross-entropy" << R"({"kind": "sgd", "lr": 0.05})";
}

void OpenClBackendTest::trainingMatchesCpu() {
  QFETCH(Shape, input);
  QFETCH(QString, layers);
  QFETCH(QString, loss);
  QFETCH(QString, optimizer);
  std::vector<LayerSpec> specs;
  for (const auto& layer : Json::parse(layers.toStdString())) specs.push_back({layer[0].get<std::string>(), layer[1]});
  const Graph graph = chainGraph(input, specs, loss.toStdString());
  auto settings = optimizerSettingsFromJson(Json::parse(optimizer.toStdString()));
  QVERIFY2(settings.ok(), settings.ok() ? "" : settings.message().c_str());
  const std::int64_t batchSize = 24;
  const std::int64_t classes = specs.back().params.at("units").get<std::int64_t>();
  Batch batch;
  batch.inputs = randomTensor(input.withBatch(batchSize), 3);
  batch.labels = labelTensor(batchSize, classes, 4);
  const int steps = 12;

  CpuBackend cpu;
  auto device = OpenClBackend::create(0);
  QVERIFY2(device.ok(), device.ok() ? "" : device.message().c_str());
  auto expected = train(cpu, graph, *settings, batch, steps);
  QVERIFY2(expected.ok(), expected.ok() ? "" : expected.message().c_str());
  Batch deviceBatch = batch;  // its own tensors: the CPU run's stay host-only
  auto got = train(**device, graph, *settings, deviceBatch, steps);
  QVERIFY2(got.ok(), got.ok() ? "" : got.message().c_str());

  // Float rounding only: losses agree to ~1e-6 relative, weights to a normalised MSE far below 1e-8.
  for (int step = 0; step < steps; ++step) {
    const double want = expected->losses[step], have = got->losses[step];
    QVERIFY2(std::fabs(have - want) <= 1e-4 * std::max(1.0, std::fabs(want)),
             ("step " + std::to_string(step) + ": loss " + std::to_string(have) + " on the device, " +
              std::to_string(want) + " on the CPU").c_str());
  }
  QVERIFY(got->losses.back() < got->losses.front());  // it learns
  const double weightError = normalisedMse(got->weights, expected->weights);
  qInfo("final loss %.6f (CPU %.6f), weights normalised MSE %.3g", got->losses.back(), expected->losses.back(),
        weightError);
  QVERIFY2(weightError < 1e-8, std::to_string(weightError).c_str());

  // The data stays on the device: after the first step (which uploads the weights and the batch), a step moves
  // two small things down — the per-row losses and the partial sums of the optimiser's finite-gradient check —
  // and nothing up (but MSE's one-hot targets, which LossFunction builds on the host): no activation, gradient
  // or weight makes a round trip.
  const auto after = got->afterFirstStep, end = got->atEnd;
  const std::uint64_t downloads = end.downloads - after.downloads, uploads = end.uploads - after.uploads;
  const std::uint64_t downloaded = end.downloadedBytes - after.downloadedBytes;
  const std::uint64_t uploaded = end.uploadedBytes - after.uploadedBytes;
  qInfo("steps 2-%d: %llu downloads (%llu bytes), %llu uploads (%llu bytes); the weights are %zu bytes", steps,
        static_cast<unsigned long long>(downloads), static_cast<unsigned long long>(downloaded),
        static_cast<unsigned long long>(uploads), static_cast<unsigned long long>(uploaded),
        got->weights.size() * sizeof(float));
  const std::uint64_t laterSteps = steps - 1;
  QCOMPARE(downloads, 2 * laterSteps);
  QVERIFY(downloaded <= laterSteps * (batchSize * (sizeof(double) + sizeof(int)) + 256 * sizeof(double)));
  const bool hostTargets = loss == "mse";
  QCOMPARE(uploads, hostTargets ? laterSteps : 0);
  QCOMPARE(uploaded, hostTargets ? laterSteps * batchSize * classes * sizeof(float) : 0);
  const std::string warnings = (*device)->takeWarnings();
  QVERIFY2(warnings.empty(), warnings.c_str());
}

void OpenClBackendTest::outOfMemoryFallsBackToCpu() {
  OpenClOptions options;
  options.memoryBudgetBytes = 256 * 1024;  // smaller than one operand below
  auto created = OpenClBackend::create(0, options);
  QVERIFY(created.ok());
  OpenClBackend& device = **created;
  CpuBackend cpu;
  Tensor a = randomTensor(Shape{300, 301}, 1), b = randomTensor(Shape{301, 299}, 2), c(Shape{300, 299});
  Tensor cCpu = c;
  device.gemm(Transpose::No, Transpose::No, 1.0f, a, b, 0.0f, c);
  cpu.gemm(Transpose::No, Transpose::No, 1.0f, a, b, 0.0f, cCpu);
  QCOMPARE(normalisedMse(c.values(), cCpu.values()), 0.0);  // it ran on the CPU: identical
  const std::string warnings = device.takeWarnings();
  qInfo("%s", warnings.c_str());
  QVERIFY2(warnings.find("out of device memory") != std::string::npos, warnings.c_str());
  QVERIFY2(warnings.find("gemm ran on the CPU") != std::string::npos, warnings.c_str());
  QVERIFY(device.takeWarnings().empty());  // taken

  // Small work still runs on the device, without new warnings.
  const auto before = device.transferStats();
  QVERIFY(worksLikeTheCpu(device));
  QVERIFY(device.transferStats().uploads > before.uploads);
  QVERIFY(device.takeWarnings().empty());
}

void OpenClBackendTest::tensorsMoveBetweenDevicesAndHost() {
  // One tensor used by the device, then host code, then the CPU backend, then the device again, then a second
  // backend of the same device: every step sees the latest values.
  auto first = OpenClBackend::create(0);
  auto second = OpenClBackend::create(0);
  QVERIFY(first.ok() && second.ok());
  CpuBackend cpu;
  Tensor x = randomTensor(Shape{5, 77}, 1), y(Shape{5, 77}, 1.0f);
  Tensor xRef = x, yRef = y;
  (*first)->axpy(2.0f, x, y);              // device
  cpu.axpy(2.0f, xRef, yRef);
  y.mutableData()[3] += 1.0f;              // host write
  yRef.mutableData()[3] += 1.0f;
  cpu.scale(0.5f, y);                      // CPU backend
  cpu.scale(0.5f, yRef);
  (*first)->activationForward(ActivationKind::Tanh, 0.0f, y, y);  // device again: uploads the host's values
  cpu.activationForward(ActivationKind::Tanh, 0.0f, yRef, yRef);
  (*second)->sumRows(y, 0.0f, TensorView(x, 0, Shape{77}));      // another backend on the same device
  cpu.sumRows(yRef, 0.0f, TensorView(xRef, 0, Shape{77}));
  QVERIFY(normalisedMse(y.values(), yRef.values()) < 1e-12);
  QVERIFY(normalisedMse(x.values(), xRef.values()) < 1e-12);
}

void OpenClBackendTest::floatAccumulation() {
  // Devices without cl_khr_fp64 (many integrated GPUs) sum in float: the kernels' other half.
  OpenClOptions options;
  options.doubleAccumulation = false;
  // No disk cache: on PoCL, fetching a program's binary compiles every kernel up front (about 10 s the first
  // time); without it only the few kernels used here get compiled.
  options.cacheDirectory = "-";
  auto created = OpenClBackend::create(0, options);
  QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
  OpenClBackend& device = **created;
  CpuBackend cpu;
  const Tensor x = randomTensor(Shape{100003}, 1), logits = randomTensor(Shape{37, 13}, 2);
  const Tensor labels = labelTensor(37, 13, 3);
  auto relative = [](double got, double want) { return std::fabs(got - want) / std::max(1.0, std::fabs(want)); };
  QVERIFY(relative(device.sum(x), cpu.sum(x)) < 1e-5);
  QVERIFY(relative(device.sumOfSquares(x), cpu.sumOfSquares(x)) < 1e-6);
  QVERIFY(device.allFinite(x));
  Tensor grad(Shape{37, 13}), gradCpu(Shape{37, 13});
  const LossResult got = device.softmaxCrossEntropy(logits, labels, 0.1f, grad);
  const LossResult want = cpu.softmaxCrossEntropy(logits, labels, 0.1f, gradCpu);
  QVERIFY(relative(got.lossSum, want.lossSum) < 1e-6);
  QCOMPARE(got.correct, want.correct);
  QVERIFY(normalisedMse(grad.values(), gradCpu.values()) < 1e-10);
  Tensor y(Shape{37, 13}), yCpu(Shape{37, 13}), norms(Shape{37}), normsCpu(Shape{37});
  device.normalizeRows(logits, 1e-6f, y, norms);
  cpu.normalizeRows(logits, 1e-6f, yCpu, normsCpu);
  QVERIFY(normalisedMse(y.values(), yCpu.values()) < 1e-10);
  QVERIFY(normalisedMse(norms.values(), normsCpu.values()) < 1e-10);
  QVERIFY(device.takeWarnings().empty());
}

QTEST_GUILESS_MAIN(OpenClBackendTest)

#else  // no OpenCL in this build

class OpenClBackendTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void skipped() { QSKIP("this build has no OpenCL backend"); }
};

QTEST_GUILESS_MAIN(OpenClBackendTest)

#endif

#include "tst_opencl_backend.moc"
