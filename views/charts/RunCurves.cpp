#include "views/charts/RunCurves.h"

#include <algorithm>
#include <cmath>

#include "core/train/MetricsLog.h"

namespace ffn::views {
namespace {
constexpr const char* kStepLoss = "loss";
constexpr const char* kStepAccuracy = "accuracy";
}  // namespace

RunCurves::Added RunCurves::add(const TrainingProgress& p) {
  Added added;
  const double step = static_cast<double>(p.step);
  auto addStep = [&](const std::string& name, double value) {
    steps[name] << QPointF(step, value);
    added.steps[name] << QPointF(step, value);
  };
  addStep(kStepLoss, p.loss);
  if (p.accuracy >= 0.0) addStep(kStepAccuracy, p.accuracy);
  for (const Metric& m : p.metrics) addStep(m.name, m.value);
  if (p.stepsPerEpoch > 0) stepsPerEpoch = p.stepsPerEpoch;
  if (p.epochs > 0) plannedEpochs = p.epochs;
  if (p.epochEnd) {
    m_epochEnds.push_back(p);
    // The same columns, under the same names, as `ffnlab-cli train --metrics`.
    MetricsLog log;
    log.record(p);
    for (const std::string& column : log.columns()) {
      if (column == "epoch" || column == "step" || column == "learning_rate" || column == "train_seconds") continue;
      const QPointF point(p.epoch, log.value(0, column));
      epochs[column] << point;
      added.epochs[column] << point;
    }
  }
  return added;
}

void RunCurves::add(const std::vector<TrainingProgress>& points, Added* added) {
  for (const TrainingProgress& p : points) {
    Added one = add(p);
    if (!added) continue;
    for (auto& [name, list] : one.steps) added->steps[name] << list;
    for (auto& [name, list] : one.epochs) added->epochs[name] << list;
  }
}

Json RunCurves::epochTable() const {
  MetricsLog log;
  for (const TrainingProgress& p : m_epochEnds) log.record(p);
  if (m_epochEnds.empty() && !epochs.empty()) {
    // Read back from a record: rebuild the table from the series.
    Json columns = Json::array({"epoch"});
    std::vector<double> xs;
    for (const auto& [name, list] : epochs) {
      columns.push_back(name);
      for (const QPointF& p : list) xs.push_back(p.x());
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    Json rows = Json::array();
    for (double x : xs) {
      Json row = Json::array({x});
      for (const auto& [name, list] : epochs) {
        auto it = std::find_if(list.begin(), list.end(), [x](const QPointF& p) { return p.x() == x; });
        row.push_back(it == list.end() ? Json(nullptr) : Json(it->y()));
      }
      rows.push_back(std::move(row));
    }
    return Json{{"columns", columns}, {"rows", rows}};
  }
  return log.toJson();
}

Json RunCurves::stepTable(std::size_t maxStepRows) const {
  Json columns = Json::array({"step"});
  std::vector<const QList<QPointF>*> series;
  for (const auto& [name, list] : steps) {
    columns.push_back(name);
    series.push_back(&list);
  }
  const auto& loss = steps.count(kStepLoss) ? steps.at(kStepLoss) : QList<QPointF>{};
  const std::size_t count = static_cast<std::size_t>(loss.size());
  const std::size_t stride = std::max<std::size_t>(1, (count + maxStepRows - 1) / std::max<std::size_t>(maxStepRows, 1));
  Json rows = Json::array();
  for (std::size_t i = 0; i < count; i += stride) {
    if (i + stride >= count) i = count - 1;  // always end on the last step
    const double x = loss[static_cast<qsizetype>(i)].x();
    Json row = Json::array({x});
    for (const auto* list : series) {
      // Points are in step order: a binary search finds this step's value, if the series has one.
      auto it = std::lower_bound(list->begin(), list->end(), x, [](const QPointF& p, double v) { return p.x() < v; });
      row.push_back(it != list->end() && it->x() == x ? Json(it->y()) : Json(nullptr));
    }
    rows.push_back(std::move(row));
  }
  return Json{{"columns", columns}, {"rows", rows}, {"stride", stride}};
}

void RunCurves::readTable(const Json& table, const char* xColumn, std::map<std::string, QList<QPointF>>& into) {
  if (!table.is_object() || !table.contains("columns") || !table.contains("rows")) return;
  const Json& columns = table.at("columns");
  if (!columns.is_array()) return;
  std::size_t xIndex = columns.size();
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == xColumn) xIndex = c;
  if (xIndex == columns.size()) return;
  for (const Json& row : table.at("rows")) {
    if (!row.is_array() || row.size() != columns.size() || !row[xIndex].is_number()) continue;
    const double x = row[xIndex].get<double>();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string name = columns[c].is_string() ? columns[c].get<std::string>() : std::string();
      if (c == xIndex || name.empty() || name == "step" || name == "epoch" || !row[c].is_number()) continue;
      into[name] << QPointF(x, row[c].get<double>());
    }
  }
}

RunCurves RunCurves::fromRecord(const Json& run) {
  RunCurves curves;
  if (!run.is_object()) return curves;
  curves.id = QString::fromStdString(run.value("id", std::string()));
  curves.label = QString::fromStdString(run.value("label", std::string()));
  curves.stepsPerEpoch = std::max<std::int64_t>(1, run.value("stepsPerEpoch", std::int64_t{1}));
  if (run.contains("epochs")) readTable(run.at("epochs"), "epoch", curves.epochs);
  if (run.contains("steps")) readTable(run.at("steps"), "step", curves.steps);
  for (const char* unused : {"learning_rate", "train_seconds"}) curves.epochs.erase(unused);
  return curves;
}

std::vector<std::string> RunCurves::ruleMetrics() const {
  std::vector<std::string> names;
  for (const auto& [name, list] : steps)
    if (name != kStepLoss && name != kStepAccuracy) names.push_back(name);
  return names;
}

}  // namespace ffn::views
