#pragma once
// RunCurves: the numbers of one run as the charts plot them — per-step series (x = step: the batch loss and
// accuracy and the rule's own metrics) and per-epoch series (x = epoch: the MetricsLog columns train_loss,
// validation_accuracy, test_loss, ... and the rule's metrics at each epoch end). Built live from progress points,
// or read back from a run kept with the project, which stores the same two tables.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <map>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"
#include "core/train/Trainer.h"

namespace ffn::views {

class RunCurves {
 public:
  QString id;     // the run's id in Project.runs ("" for the live run)
  QString label;  // the legend's name for the run
  std::int64_t stepsPerEpoch = 1;
  int plannedEpochs = 0;  // the epochs the run is to train (a live run; 0: not known)
  std::map<std::string, QList<QPointF>> steps;   // x = step (1-based)
  std::map<std::string, QList<QPointF>> epochs;  // x = epoch (1-based)

  // Appends one step; returns the new points per series (for charts that append instead of redrawing).
  struct Added {
    std::map<std::string, QList<QPointF>> steps, epochs;
  };
  Added add(const TrainingProgress& p);
  void add(const std::vector<TrainingProgress>& points, Added* added = nullptr);

  // {"columns": [...], "rows": [[...], ...]} tables: the epoch rows (the CLI's --metrics columns) and the step
  // rows, thinned to at most `maxStepRows` (every k-th step and the last).
  Json epochTable() const;
  Json stepTable(std::size_t maxStepRows) const;
  // From a kept run's "epochs" and "steps" tables.
  static RunCurves fromRecord(const Json& run);
  // The metric names of the rule (step series that are not the batch loss or accuracy).
  std::vector<std::string> ruleMetrics() const;

 private:
  std::vector<TrainingProgress> m_epochEnds;  // for the epoch table, in the CLI's MetricsLog layout
  static void readTable(const Json& table, const char* xColumn, std::map<std::string, QList<QPointF>>& into);
};

}  // namespace ffn::views
