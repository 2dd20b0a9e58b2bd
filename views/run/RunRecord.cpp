#include "views/run/RunRecord.h"

#include <QDir>
#include <QRegularExpression>
#include <cmath>
#include <limits>

#include "views/document/RunSettings.h"

namespace ffn::views {
namespace {

constexpr std::size_t kMaxStepRows = 600;  // enough for a smooth curve; a project file stays small

QString shellQuoted(const QString& text) {
  static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=+-]+$"));
  if (plain.match(text).hasMatch()) return text;
  return QLatin1Char('\'') + QString(text).replace(QLatin1String("'"), QLatin1String("'\\''")) + QLatin1Char('\'');
}

}  // namespace

QString cliCommand(const QString& projectPath, const Project& project, int threads) {
  const QString path = projectPath.isEmpty() ? QStringLiteral("PROJECT.ffnlab") : QDir::toNativeSeparators(projectPath);
  return QStringLiteral("ffnlab-cli train %1 --rule %2 --epochs %3 --seed %4 --threads %5")
      .arg(shellQuoted(path), shellQuoted(QString::fromStdString(project.training.rule)))
      .arg(project.training.epochs)
      .arg(project.seed)
      .arg(threads);
}

std::string nextRunId(const Json& runs) {
  int highest = 0;
  for (const Json& run : runs) {
    const std::string id = run.is_object() ? run.value("id", std::string()) : std::string();
    if (id.rfind("run-", 0) == 0) highest = std::max(highest, std::atoi(id.c_str() + 4));
  }
  return "run-" + std::to_string(highest + 1);
}

double finalValue(const Json& run, const std::string& name) {
  if (!run.is_object() || !run.contains("final") || !run.at("final").is_object()) return std::nan("");
  const Json& final = run.at("final");
  return final.contains(name) && final.at(name).is_number() ? final.at(name).get<double>() : std::nan("");
}

Json makeRunRecord(const RunRecordInput& input) {
  Json record = Json::object();
  record["id"] = input.id;
  record["label"] = input.label.toStdString();
  record["state"] = runStateKey(input.state);
  if (!input.message.isEmpty()) record["message"] = input.message.toStdString();
  record["startedAt"] = input.startedAt.toStdString();
  record["settings"] = RunSettings::of(input.project).json();
  record["threads"] = input.threads;
  record["cli"] = cliCommand(input.projectPath, input.project, input.threads).toStdString();

  Json final = Json::object();
  if (input.history && !input.history->empty()) {
    const TrainingProgress& last = input.history->back();
    final["steps"] = last.step;
    final["epochs"] = last.epochEnd ? last.epoch : last.epoch - 1;
    final["train_loss"] = last.epochLoss;
    if (last.epochAccuracy >= 0.0) final["train_accuracy"] = last.epochAccuracy;
    final["train_seconds"] = last.trainSeconds;
    final["seconds"] = last.elapsedSeconds;
    // The latest evaluations, wherever in the history they were made.
    for (auto it = input.history->rbegin(); it != input.history->rend(); ++it) {
      if (it->hasValidation && !final.contains("validation_loss")) {
        final["validation_loss"] = it->validation.loss();
        final["validation_accuracy"] = it->validation.accuracy();
      }
      if (it->hasTest && !final.contains("test_loss")) {
        final["test_loss"] = it->test.loss();
        final["test_accuracy"] = it->test.accuracy();
      }
    }
    for (const Metric& m : last.metrics) final[m.name] = m.value;
  }
  record["final"] = final;
  if (input.curves) {
    record["stepsPerEpoch"] = input.curves->stepsPerEpoch;
    record["epochs"] = input.curves->epochTable();
    record["steps"] = input.curves->stepTable(kMaxStepRows);
  }
  return record;
}

}  // namespace ffn::views
