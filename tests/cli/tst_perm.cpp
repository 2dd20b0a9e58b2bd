// ffnlab-cli perm: the single-process result, and the same command under `mpirun -np 3 --oversubscribe` giving the
// very same curve (members shared over the ranks, folded in order on rank 0). Skips when mpirun is not installed
// or the CLI was built without MPI. Both runs also report N over random member orders (--order-resamples).
#include <QtTest>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/cli/CliRunner.h"

namespace {

const QString kCli = QStringLiteral(FFN_BINARY_DIR "/app/cli/ffnlab-cli");
// Small enough for a second, big enough that the full ensemble passes 90 % exact match (0.934 at 30 members).
const QStringList kPerm = {"perm", "--k",      "6",  "--width", "1000", "--members", "30", "--epochs", "300",
                           "--lr", "0.05",     "--seed", "3", "--threads", "1", "--order-resamples", "50"};

// Whether this build runs under AddressSanitizer (the hardening build, .ci/sanitize): the CLI is built alike.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

enum class Leaks { Checked, NotCheckedInMpiRanks };

// Runs a program and returns the JSON object on the last line of its stdout (null on failure).
nlohmann::json lastJson(const QString& program, const QStringList& arguments, Leaks leaks = Leaks::Checked) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("OMPI_ALLOW_RUN_AS_ROOT", "1");
  env.insert("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
  env.insert("OMPI_MCA_btl_vader_single_copy_mechanism", "none");  // no CMA inside containers
  // OpenMPI leaks about 120 KB per rank at exit, in the components it dlopens and unloads again: LeakSanitizer
  // cannot name those frames (nor unwind OpenMPI, built without frame pointers, past its first frame), so no
  // suppression by library matches. Under ASan the ranks therefore run without leak detection (ASan's options
  // are read left to right: the last one wins) — only the ranks: the single-process runs of the same command
  // still check our code for leaks, and the ranks still report every other memory error and undefined behaviour.
  if (kAddressSanitizer && leaks == Leaks::NotCheckedInMpiRanks) {
    const QString options = env.value("ASAN_OPTIONS");
    env.insert("ASAN_OPTIONS", options + (options.isEmpty() ? "" : ":") + "detect_leaks=0");
  }
  process.setProcessEnvironment(env);
  process.start(program, arguments);
  if (!process.waitForFinished(ffn::test::kCliWaitMs) || process.exitCode() != 0) {
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
    QCOMPARE(result["members"].get<int>(), 30);
    QCOMPARE(result["exact_match_by_members"].size(), std::size_t{30});
    QCOMPARE(result["test_inputs"].get<int>(), 1000);
    QVERIFY(result["n_for_90"].is_number_integer());
    QVERIFY(result["n_for_999"].is_number_integer());
    QVERIFY(result["seconds_per_member"].get<double>() > 0.0);
    QVERIFY(result["basis_path"].get<bool>());
    QCOMPARE(result["ranks"].get<int>(), 1);
    // The order study: 50 orders, the first being the run's own (so its N is the run's n_for_90). The whole
    // ensemble reaches 90 %, so every order does by 30 members; which members come first moves N a lot.
    QVERIFY(result["n_for_90"].get<int>() >= 1);
    const auto& orders = result["n_for_90_over_orders"];
    QCOMPARE(orders["n_by_order"].size(), std::size_t{50});
    QCOMPARE(orders["n_by_order"][0].get<int>(), result["n_for_90"].get<int>());
    QCOMPARE(orders["never_reached"].get<int>(), 0);
    std::set<int> seen;
    for (const auto& n : orders["n_by_order"]) {
      QVERIFY(n.get<int>() >= 1 && n.get<int>() <= 30);
      seen.insert(n.get<int>());
    }
    QVERIFY(seen.size() > 3);
    QVERIFY(orders["p10"].get<int>() <= orders["median"].get<int>());
    QVERIFY(orders["median"].get<int>() <= orders["p90"].get<int>());
  }

  void threeRanksGiveTheSameCurveAsOneProcess() {
    const QString mpirun = QStandardPaths::findExecutable("mpirun");
    if (mpirun.isEmpty()) QSKIP("mpirun is not installed (Debian: openmpi-bin)");
    const auto single = lastJson(kCli, kPerm);
    QVERIFY(single.is_object());
    if (!single["mpi"].get<bool>()) QSKIP("ffnlab-cli was built without MPI (Debian: libopenmpi-dev)");
    // Shared memory and self only: no network is needed (CI has none), and no TCP interface is probed.
    const auto shared = lastJson(mpirun, QStringList{"-np", "3", "--oversubscribe", "--mca", "btl", "self,vader",
                                                     "--mca", "oob_tcp_if_include", "lo", kCli} + kPerm,
                                 Leaks::NotCheckedInMpiRanks);
    QVERIFY(shared.is_object());
    QCOMPARE(shared["ranks"].get<int>(), 3);
    QCOMPARE(shared["members"].get<int>(), 30);
    QVERIFY(shared["mse_by_members"] == single["mse_by_members"]);  // the sums agree to the last bit
    QVERIFY(shared["exact_match_by_members"] == single["exact_match_by_members"]);
    QVERIFY(shared["bit_error_by_members"] == single["bit_error_by_members"]);
    QCOMPARE(shared["n_for_90"].get<int>(), single["n_for_90"].get<int>());
    // Members trained on other ranks reach rank 0's order study too.
    QVERIFY(shared["n_for_90_over_orders"] == single["n_for_90_over_orders"]);
  }
};

QTEST_APPLESS_MAIN(PermMpiTest)
#include "tst_perm.moc"
