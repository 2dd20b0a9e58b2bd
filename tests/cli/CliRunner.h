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

// Runs ffnlab-cli with `args` in this process's environment plus `extraEnvironment` ("NAME=value" each).
inline CliOutcome runCli(const QStringList& args, const QStringList& extraEnvironment = {}) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const QString& entry : extraEnvironment) env.insert(entry.section('=', 0, 0), entry.section('=', 1));
  process.setProcessEnvironment(env);
  process.start(QString(FFN_BINARY_DIR) + "/app/cli/ffnlab-cli", args);
  process.waitForFinished(120000);
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

inline QString exampleProject(const char* name) { return QString(FFN_SOURCE_DIR) + "/resources/examples/" + name; }

}  // namespace ffn::test
