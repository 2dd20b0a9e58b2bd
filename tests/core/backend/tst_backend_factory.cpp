// Choosing a compute backend by spec: "cpu", "opencl", "opencl:N"; clear errors for unknown specs and missing
// devices; the CPU fallback with a warning when OpenCL is unavailable (simulated with FFN_OPENCL_DISABLE=1, so
// this runs the same on machines with and without an OpenCL device, and in builds without OpenCL).
#include <QtTest>

#include "core/backend/BackendFactory.h"
#include "core/backend/DeviceRegistry.h"
#include "tests/core/backend/DeviceTestSupport.h"

using namespace ffn;

class BackendFactory : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cpuAlways();
  void unknownSpecs_data();
  void unknownSpecs();
  void openClWhenPresent();
  void deviceIndexOutOfRange();
  void noDeviceFallsBackToCpu();
};

void BackendFactory::initTestCase() {
  ffn::test::useBuildFolderProgramCache();
}

void BackendFactory::cpuAlways() {
  auto backend = createBackend("cpu");
  QVERIFY(backend.ok());
  QCOMPARE((*backend)->name(), std::string("cpu"));
  const auto specs = DeviceRegistry::availableSpecs();
  QVERIFY(!specs.empty());
  QCOMPARE(specs.front(), std::string("cpu"));
}

void BackendFactory::unknownSpecs_data() {
  QTest::addColumn<QString>("spec");
  QTest::newRow("cuda") << "cuda";
  QTest::newRow("empty") << "";
  QTest::newRow("opencl:") << "opencl:";
  QTest::newRow("opencl:x") << "opencl:x";
  QTest::newRow("opencl:-1") << "opencl:-1";
  QTest::newRow("opencl:1x") << "opencl:1x";
}

void BackendFactory::unknownSpecs() {
  QFETCH(QString, spec);
  auto backend = createBackend(spec.toStdString());
  QVERIFY(!backend.ok());
  QVERIFY2(backend.message().find("unknown compute device") != std::string::npos, backend.message().c_str());
  const BackendChoice choice = createBackendWithFallback(spec.toStdString());
  QVERIFY(choice.backend);
  QCOMPARE(choice.backend->name(), std::string("cpu"));
  QVERIFY(choice.warning.find("unknown compute device") != std::string::npos);
}

void BackendFactory::openClWhenPresent() {
  const DeviceList list = DeviceRegistry::openClDevices();
  if (list.devices.empty()) {
    QVERIFY(!list.problem.empty());
    auto backend = createBackend("opencl");
    QVERIFY(!backend.ok());
    QSKIP(("no OpenCL device here: " + list.problem).c_str());
  }
  for (const DeviceInfo& device : list.devices) {
    QVERIFY(!device.name.empty());
    QVERIFY(device.computeUnits > 0);
    QVERIFY(device.globalMemoryBytes > 0);
    QVERIFY2(device.openClCVersion.rfind("OpenCL C ", 0) == 0, device.openClCVersion.c_str());
    QCOMPARE(device.spec, "opencl:" + std::to_string(device.index));
  }
  const int chosen = DeviceRegistry::defaultOpenClDevice(list.devices);
  auto backend = createBackend("opencl");
  QVERIFY2(backend.ok(), backend.ok() ? "" : backend.message().c_str());
  QCOMPARE((*backend)->name(), "opencl:" + std::to_string(chosen));
  // The name is a spec that gives the same device back.
  auto again = createBackend((*backend)->name());
  QVERIFY(again.ok());
  const BackendChoice choice = createBackendWithFallback("opencl:0");
  QCOMPARE(choice.backend->name(), std::string("opencl:0"));
  QVERIFY(choice.warning.empty());
}

void BackendFactory::deviceIndexOutOfRange() {
  auto backend = createBackend("opencl:99");
  QVERIFY(!backend.ok());
  const std::string& message = backend.message();
  const bool clear = message.find("no OpenCL device 99") != std::string::npos ||
                     message.find("no OpenCL device found") != std::string::npos ||
                     message.find("no OpenCL backend") != std::string::npos;
  QVERIFY2(clear, message.c_str());
}

void BackendFactory::noDeviceFallsBackToCpu() {
  const std::size_t before = DeviceRegistry::openClDevices().devices.size();
  qputenv("FFN_OPENCL_DISABLE", "1");
  const DeviceList list = DeviceRegistry::openClDevices();
  QVERIFY(list.devices.empty());
  QVERIFY(!list.problem.empty());
  QCOMPARE(DeviceRegistry::availableSpecs(), std::vector<std::string>{"cpu"});
  for (const char* spec : {"opencl", "opencl:0"}) {
    auto backend = createBackend(spec);
    QVERIFY(!backend.ok());
    if (DeviceRegistry::openClBuiltIn())
      QVERIFY2(backend.message().find("FFN_OPENCL_DISABLE") != std::string::npos, backend.message().c_str());
    const BackendChoice choice = createBackendWithFallback(spec);
    QVERIFY(choice.backend);
    QCOMPARE(choice.backend->name(), std::string("cpu"));
    QVERIFY2(choice.warning.find("computing on the CPU") != std::string::npos, choice.warning.c_str());
    qInfo("%s", choice.warning.c_str());
  }
  qunsetenv("FFN_OPENCL_DISABLE");
  QCOMPARE(DeviceRegistry::openClDevices().devices.size(), before);
}

QTEST_GUILESS_MAIN(BackendFactory)
#include "tst_backend_factory.moc"
