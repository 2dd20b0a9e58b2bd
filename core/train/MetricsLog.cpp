#include "core/train/MetricsLog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ffn {

void MetricsLog::set(std::map<std::string, double>& row, const std::string& column, double value) {
  if (std::find(m_columns.begin(), m_columns.end(), column) == m_columns.end()) m_columns.push_back(column);
  row[column] = value;
}

void MetricsLog::record(const TrainingProgress& p) {
  std::map<std::string, double> row;
  set(row, "epoch", p.epoch);
  set(row, "step", static_cast<double>(p.step));
  set(row, "train_loss", p.epochLoss);
  if (p.epochAccuracy >= 0.0) set(row, "train_accuracy", p.epochAccuracy);
  if (p.hasValidation) {
    set(row, "validation_loss", p.validation.loss());
    set(row, "validation_accuracy", p.validation.accuracy());
  }
  if (p.hasTest) {
    set(row, "test_loss", p.test.loss());
    set(row, "test_accuracy", p.test.accuracy());
  }
  set(row, "learning_rate", p.learningRate);
  set(row, "train_seconds", p.trainSeconds);
  for (const auto& m : p.metrics) set(row, m.name, m.value);
  m_rows.push_back(std::move(row));
}

double MetricsLog::value(std::size_t row, const std::string& column) const {
  auto it = m_rows.at(row).find(column);
  return it == m_rows.at(row).end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

std::string MetricsLog::toCsv() const {
  std::string text;
  for (std::size_t c = 0; c < m_columns.size(); ++c) text += (c ? "," : "") + m_columns[c];
  text += "\n";
  char number[32];
  for (std::size_t r = 0; r < m_rows.size(); ++r) {
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
      if (c) text += ",";
      const double v = value(r, m_columns[c]);
      if (std::isnan(v)) continue;
      std::snprintf(number, sizeof number, "%.9g", v);
      text += number;
    }
    text += "\n";
  }
  return text;
}

Json MetricsLog::toJson() const {
  Json rows = Json::array();
  for (std::size_t r = 0; r < m_rows.size(); ++r) {
    Json row = Json::array();
    for (const auto& column : m_columns) {
      const double v = value(r, column);
      row.push_back(std::isnan(v) ? Json(nullptr) : Json(v));
    }
    rows.push_back(std::move(row));
  }
  return Json{{"columns", m_columns}, {"rows", std::move(rows)}};
}

}  // namespace ffn
