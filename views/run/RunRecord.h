#pragma once
// RunRecord: a run as kept with the project (one entry of Project.runs) — what it was (the settings sections
// that reproduce it, the thread count, the `ffnlab-cli` line), how it went (state, message, final numbers) and
// its curves (the per-epoch table in the CLI's --metrics columns, and the per-step table, thinned).
#include <QString>
#include <string>
#include <vector>

#include "core/project/Project.h"
#include "views/charts/RunCurves.h"
#include "views/run/RunUpdate.h"

namespace ffn::views {

struct RunRecordInput {
  std::string id;
  QString label;
  Project project;  // the snapshot the run trained (with any comparison overrides applied)
  int threads = 1;
  QString projectPath;  // the saved file the CLI line reads ("" when never saved)
  RunState state = RunState::Finished;
  QString message;
  const RunCurves* curves = nullptr;
  std::vector<TrainingProgress> const* history = nullptr;
  QString startedAt;  // ISO 8601
};

Json makeRunRecord(const RunRecordInput& input);

// The `ffnlab-cli train` line that trains `project` as saved at `projectPath` with the same numbers.
QString cliCommand(const QString& projectPath, const Project& project, int threads);
// A fresh id for a run ("run-4"), not used by any run in `runs`.
std::string nextRunId(const Json& runs);
// Final numbers of a kept run, by column name ("test_accuracy"); NaN where it has none.
double finalValue(const Json& run, const std::string& name);

}  // namespace ffn::views
