#pragma once
// TrainingPanel: how the project trains, in one column beside the canvas — the training rule (with its one-
// paragraph explanation and its settings), epochs, batch size and seed, the optimiser, the data and the device.
// Every field is built from the specs core publishes (rules, optimiser, data kinds), and every edit is a document
// edit: undoable, saved with the project, and what the next run (and `ffnlab-cli train`) uses.
#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace ffn::views {

class DataSettingsBox;
class NetworkDocument;
class RunController;
class SpecForm;

class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  TrainingPanel(NetworkDocument* document, RunController* runs, QWidget* parent = nullptr);

  QComboBox* ruleBox() const { return m_rule; }
  QLabel* ruleDescription() const { return m_description; }
  SpecForm* ruleForm() const { return m_ruleForm; }
  SpecForm* optimizerForm() const { return m_optimizer; }
  DataSettingsBox* dataBox() const { return m_data; }
  QSpinBox* epochsBox() const { return m_epochs; }
  QSpinBox* batchBox() const { return m_batch; }
  QSpinBox* seedBox() const { return m_seed; }
  QSpinBox* threadsBox() const { return m_threads; }
  QComboBox* deviceBox() const { return m_device; }
  QString lastError() const;

 private:
  void refresh();
  void chooseRule(int index);
  void setNumber(const char* pointer, int value, const QString& text);
  void showError(const QString& message);

  NetworkDocument* m_document;
  RunController* m_runs;
  QComboBox* m_rule;
  QLabel* m_description;
  SpecForm* m_ruleForm;
  std::string m_builtRule;
  QSpinBox* m_epochs;
  QSpinBox* m_batch;
  QSpinBox* m_seed;
  SpecForm* m_optimizer;
  DataSettingsBox* m_data;
  QComboBox* m_device;
  QSpinBox* m_threads;
  QLabel* m_error;
};

}  // namespace ffn::views
