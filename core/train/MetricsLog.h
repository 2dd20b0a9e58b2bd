#pragma once
// MetricsLog: the numbers of a run, one row per recorded step (by default one per epoch end): the common
// columns (loss, accuracy, validation, test, learning rate, time) followed by the rule's own metrics. Written
// as CSV by `ffnlab-cli train --metrics` and kept with the project for the GUI's run history.
#include <map>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"
#include "core/train/Trainer.h"

namespace ffn {

class MetricsLog {
 public:
  // Records a row for p (call it for every step, or only for epoch ends).
  void record(const TrainingProgress& p);
  std::size_t rowCount() const { return m_rows.size(); }
  const std::vector<std::string>& columns() const { return m_columns; }
  // The value of a column in a row; NaN where the row has none.
  double value(std::size_t row, const std::string& column) const;

  std::string toCsv() const;
  Json toJson() const;  // {"columns": [...], "rows": [[...], ...]} with null for missing values

 private:
  void set(std::map<std::string, double>& row, const std::string& column, double value);
  std::vector<std::string> m_columns;
  std::vector<std::map<std::string, double>> m_rows;
};

}  // namespace ffn
