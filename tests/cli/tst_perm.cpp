// ffnlab-cli perm: the single-process result, and the same command under `mpirun -np 3 --oversubscribe` giving the
// very same curve (members shared over the ranks, folded in order on rank 0). Skips when mpirun is not installed
// or the CLI was built without MPI.
#include <QtTest>

#include <nlohmann/json.hpp>

namespace {

const QString kCli = QStringLiteral(FFN_BINARY_DIR "/app/cli/ffnlab-cli");
const QStringList kPerm = {"perm",     "--k",  "6",   "--width", "300",  "--members", "7",        "--epochs",
                           "60",       "--lr", "0.05", "--seed", "3",    "--threads", "1"};

// Runs a program and returns the JSON object on the last line of its stdout (null on failure).
nlohmann::json lastJson(const QString& program, const QStringList& arguments) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("OMPI_ALLOW_RUN_AS_ROOT", "1");
  env.insert("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
  env.insert("OMPI_MCA_btl_vader_single_copy_mechanism", "none");  // no CMA inside containers
  process.setProcessEnvironment(env);
  process.start(program, arguments);
  if (!process.waitForFinished(120'000) || process.exitCode() != 0) {
    qWarning("%s failed: %s", qPrintable(program), process.readAllStandardError().constData());
    return nullptr;
  }
  const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
  return nlohmann::json::parse(lines.back().toStdString(), nullptr, false);
}

}  // namespace

class PermMpiTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void singleProcessReportsTheCurve() {
    const auto result = lastJson(kCli, kPerm);
    QVERIFY(result.is_object());
    QCOMPARE(result["k"].get<int>(), 6);
    QCOMPARE(result["members"].get<int>(), 7);
    QCOMPARE(result["exact_match_by_members"].size(), std::size_t{7});
    QCOMPARE(result["test_inputs"].get<int>(), 1000);
    QVERIFY(result["n_for_90"].is_number_integer());
    QVERIFY(result["n_for_999"].is_number_integer());
    QVERIFY(result["seconds_per_member"].get<double>() > 0.0);
    QVERIFY(result["basis_path"].get<bool>());
    QCOMPARE(result["ranks"].get<int>(), 1);
  }

  void threeRanksGiveTheSameCurveAsOneProcess() {
    const QString mpirun = QStandardPaths::findExecutable("mpirun");
    if (mpirun.isEmpty()) QSKIP("mpirun is not installed (Debian: openmpi-bin)");
    const auto single = lastJson(kCli, kPerm);
    QVERIFY(single.is_object());
    if (!single["mpi"].get<bool>()) QSKIP("ffnlab-cli was built without MPI (Debian: libopenmpi-dev)");
    // Shared memory and self only: no network is needed (CI has none), and no TCP interface is probed.
    const auto shared = lastJson(mpirun, QStringList{"-np", "3", "--oversubscribe", "--mca", "btl", "self,vader",
                                                     "--mca", "oob_tcp_if_include", "lo", kCli} + kPerm);
    QVERIFY(shared.is_object());
    QCOMPARE(shared["ranks"].get<int>(), 3);
    QCOMPARE(shared["members"].get<int>(), 7);
    QVERIFY(shared["mse_by_members"] == single["mse_by_members"]);  // the sums agree to the last bit
    QVERIFY(shared["exact_match_by_members"] == single["exact_match_by_members"]);
    QVERIFY(shared["bit_error_by_members"] == single["bit_error_by_members"]);
    QCOMPARE(shared["n_for_90"].get<int>(), single["n_for_90"].get<int>());
  }
};

QTEST_APPLESS_MAIN(PermMpiTest)
#include "tst_perm.moc"
