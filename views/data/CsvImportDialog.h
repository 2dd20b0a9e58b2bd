#pragma once
// CsvImportDialog: choosing a CSV file as the project's data — a preview of its first rows, the label column
// picked from the header, and the feature columns ticked (all but the label by default). The result is a data
// spec ({"kind": "csv", "path", "labelColumn", "featureColumns", ...}) for the document; nothing is loaded here.
#include <QDialog>

#include "core/graph/ParamSpec.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace ffn::views {

class CsvImportDialog : public QDialog {
  Q_OBJECT

 public:
  // `projectDirectory` ("" for an unsaved project): a file inside it is stored by its relative path.
  CsvImportDialog(const QString& projectDirectory, QWidget* parent = nullptr);

  // Shows a file's header and first rows; false (with the reason shown) when it cannot be read.
  bool setFile(const QString& path);
  void setLabelColumn(const QString& name);
  // The columns currently ticked as features.
  QStringList featureColumns() const;
  QTableWidget* preview() const { return m_preview; }
  QListWidget* featureList() const { return m_features; }
  QComboBox* labelBox() const { return m_label; }
  // The data spec for the choices made.
  Json spec() const;

 private:
  void browse();
  void fillColumns();

  QString m_directory;
  QString m_path;
  QStringList m_header;
  QLineEdit* m_file;
  QLabel* m_problem;
  QTableWidget* m_preview;
  QComboBox* m_label;
  QListWidget* m_features;
};

}  // namespace ffn::views
