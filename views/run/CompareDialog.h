#pragma once
// CompareDialog: what to compare — several training rules, several seeds, or both — on the same network and data.
// Every (rule, seed) pair becomes one run; they train one after another and end up overlaid in the charts.
#include <QDialog>
#include <vector>

#include "views/run/RunController.h"

class QLineEdit;
class QListWidget;
class QLabel;

namespace ffn::views {

class CompareDialog : public QDialog {
  Q_OBJECT

 public:
  CompareDialog(const std::string& currentRule, std::uint64_t currentSeed, QWidget* parent = nullptr);

  QListWidget* rules() const { return m_rules; }
  QLineEdit* seeds() const { return m_seeds; }
  // The runs the choices make (rules x seeds); empty with a reason in error() when the seeds do not parse.
  std::vector<RunController::Variant> variants() const;
  QString error() const { return m_error; }

 private:
  void updateSummary();

  QListWidget* m_rules;
  QLineEdit* m_seeds;
  QLabel* m_summary;
  mutable QString m_error;
};

}  // namespace ffn::views
