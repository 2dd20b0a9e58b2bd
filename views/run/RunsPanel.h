#pragma once
// RunsPanel: the runs kept with the project, as a table of final numbers (loss and accuracy on train, validation
// and test, time, how the run ended). Ticking a run overlays its curves in the charts; a run's settings can be
// restored (one undo step), its `ffnlab-cli` line copied, and the table exported as CSV. "Compare…" trains the
// network once per chosen rule and seed.
#include <QWidget>

class QPushButton;
class QTableWidget;

namespace ffn::views {

class NetworkDocument;
class RunController;

class RunsPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Compare, Run, Rule, Seed, Epochs, TrainLoss, TrainAccuracy, ValidationAccuracy, TestLoss,
                TestAccuracy, Seconds, State, ColumnCount };

  RunsPanel(NetworkDocument* document, RunController* runs, QWidget* parent = nullptr);

  QTableWidget* table() const { return m_table; }
  // The id of the run in a row.
  std::string runId(int row) const;
  void selectRun(const std::string& id);
  std::string selectedRun() const;
  QString toCsv() const;

  void restoreSelected();
  void deleteSelected();
  void copySelectedCli();
  void openCompareDialog();

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  void refresh();
  void updateButtons();

  NetworkDocument* m_document;
  RunController* m_runs;
  QTableWidget* m_table;
  QPushButton* m_compare;
  QPushButton* m_restore;
  QPushButton* m_copy;
  QPushButton* m_export;
  QPushButton* m_delete;
  bool m_filling = false;
};

}  // namespace ffn::views
