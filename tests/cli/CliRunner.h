#pragma once
// Running the built ffnlab-cli as a user does, for the CLI tests: its exit code, its stdout (whose last line is
// the result object) and its stderr.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace ffn::test {

struct CliOutcome {
  int exitCode = -1;
  QString out, err;
  QJsonObject lastJson() const {
    const auto lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
  }
};

// How long one CLI run may take before the test gives up on it: a bound for a hung program, not a speed check.
// The normal build's runs take seconds; under the sanitizers (.ci/sanitize) a first OpenCL run spends minutes
// compiling kernels (PoCL's LLVM allocating through ASan's allocator), so the bound sits just under CTest's
// per-test limit (TIMEOUT 600 in tests/CMakeLists.txt): a run that hangs is then named by the test itself.
inline constexpr int kCliWaitMs = 540'000;

// Runs ffnlab-cli with `args` in this process's environment plus `extraEnvironment` ("NAME=value" each).
inline CliOutcome runCli(const QStringList& args, const QStringList& extraEnvironment = {}) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const QString& entry : extraEnvironment) env.insert(entry.section('=', 0, 0), entry.section('=', 1));
  process.setProcessEnvironment(env);
  process.start(QString(FFN_BINARY_DIR) + "/app/cli/ffnlab-cli", args);
  if (!process.waitForFinished(kCliWaitMs)) {
    process.kill();
    process.waitForFinished();
    return {-1, QString::fromUtf8(process.readAllStandardOutput()),
            QString("ffnlab-cli %1 did not finish within %2 s\n").arg(args.join(' ')).arg(kCliWaitMs / 1000) +
                QString::fromUtf8(process.readAllStandardError())};
  }
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

inline QString exampleProject(const char* name) { return QString(FFN_SOURCE_DIR) + "/resources/examples/" + name; }

}  // namespace ffn::test
