#pragma once
// DataSettingsBox: which data the project trains on — the kind (Fashion-MNIST, IDX, CSV, the synthetic 2-D sets,
// and whatever kinds the data module adds) and its settings, built from dataParamSpecs(kind). A synthetic set's
// size and noise are sliders, to sweep while watching; CSV files are imported with a preview and a column picker.
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace ffn::views {

class NetworkDocument;
class SpecForm;

class DataSettingsBox : public QWidget {
  Q_OBJECT

 public:
  explicit DataSettingsBox(NetworkDocument* document, QWidget* parent = nullptr);

  QComboBox* kindBox() const { return m_kind; }
  SpecForm* form() const { return m_form; }
  QPushButton* importButton() const { return m_import; }
  void refresh();

 Q_SIGNALS:
  void editRefused(const QString& message);

 private:
  void chooseKind(const QString& kind);
  void importCsv();

  NetworkDocument* m_document;
  QComboBox* m_kind;
  QLabel* m_summary;
  SpecForm* m_form;
  QPushButton* m_import;
  std::string m_builtKind;
};

}  // namespace ffn::views
