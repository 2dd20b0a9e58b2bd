#include "views/data/CsvImportDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/data/CsvReader.h"
#include "core/data/DataSpec.h"

namespace ffn::views {
namespace {
constexpr std::size_t kPreviewRows = 12;  // the header and this many rows less one
}

CsvImportDialog::CsvImportDialog(const QString& projectDirectory, QWidget* parent)
    : QDialog(parent),
      m_directory(projectDirectory),
      m_file(new QLineEdit),
      m_problem(new QLabel),
      m_preview(new QTableWidget),
      m_label(new QComboBox),
      m_features(new QListWidget) {
  setWindowTitle(tr("Import CSV"));
  m_file->setReadOnly(true);
  m_file->setPlaceholderText(tr("Choose a CSV file with a header row"));
  auto* browse = new QPushButton(tr("Browse…"));
  connect(browse, &QPushButton::clicked, this, &CsvImportDialog::browse);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(m_file, 1);
  fileRow->addWidget(browse);
  m_problem->setWordWrap(true);
  m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));
  m_problem->hide();
  m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_preview->verticalHeader()->hide();
  m_preview->setMinimumHeight(180);
  m_label->setObjectName(QStringLiteral("labelColumn"));
  m_features->setObjectName(QStringLiteral("featureColumns"));
  connect(m_label, &QComboBox::currentTextChanged, this, [this] { fillColumns(); });

  auto* choices = new QFormLayout;
  choices->addRow(tr("Label column (the class)"), m_label);
  choices->addRow(tr("Feature columns (the inputs)"), m_features);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(fileRow);
  layout->addWidget(m_problem);
  layout->addWidget(new QLabel(tr("The first rows of the file:")));
  layout->addWidget(m_preview, 1);
  layout->addLayout(choices);
  layout->addWidget(buttons);
  resize(640, 520);
}

void CsvImportDialog::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import CSV"), m_directory,
                                                    tr("CSV files (*.csv *.txt);;All files (*)"));
  if (!path.isEmpty()) setFile(path);
}

bool CsvImportDialog::setFile(const QString& path) {
  auto rows = CsvReader::previewFile(path.toStdString(), kPreviewRows);
  m_problem->setVisible(!rows || rows->empty());
  if (!rows || rows->empty()) {
    m_problem->setText(rows ? tr("The file is empty.") : QString::fromStdString(rows.message()));
    return false;
  }
  m_path = path;
  m_file->setText(path);
  m_header.clear();
  for (const std::string& name : rows->front()) m_header << QString::fromStdString(name);
  m_preview->clear();
  m_preview->setColumnCount(static_cast<int>(m_header.size()));
  m_preview->setHorizontalHeaderLabels(m_header);
  m_preview->setRowCount(static_cast<int>(rows->size()) - 1);
  for (std::size_t r = 1; r < rows->size(); ++r)
    for (std::size_t c = 0; c < (*rows)[r].size() && c < static_cast<std::size_t>(m_header.size()); ++c)
      m_preview->setItem(static_cast<int>(r - 1), static_cast<int>(c),
                         new QTableWidgetItem(QString::fromStdString((*rows)[r][c])));
  m_preview->resizeColumnsToContents();
  // The label is a column named like one, else the last column (the usual place for the class).
  QString label = m_header.last();
  for (const QString& name : m_header)
    if (name.compare(QLatin1String("label"), Qt::CaseInsensitive) == 0 ||
        name.compare(QLatin1String("class"), Qt::CaseInsensitive) == 0 ||
        name.compare(QLatin1String("target"), Qt::CaseInsensitive) == 0)
      label = name;
  m_label->blockSignals(true);
  m_label->clear();
  m_label->addItems(m_header);
  m_label->setCurrentText(label);
  m_label->blockSignals(false);
  fillColumns();
  return true;
}

void CsvImportDialog::setLabelColumn(const QString& name) { m_label->setCurrentText(name); }

void CsvImportDialog::fillColumns() {
  m_features->clear();
  for (const QString& name : m_header) {
    if (name == m_label->currentText()) continue;
    auto* item = new QListWidgetItem(name, m_features);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
  }
}

QStringList CsvImportDialog::featureColumns() const {
  QStringList names;
  for (int i = 0; i < m_features->count(); ++i)
    if (m_features->item(i)->checkState() == Qt::Checked) names << m_features->item(i)->text();
  return names;
}

Json CsvImportDialog::spec() const {
  Json spec = defaultDataSpec("csv");
  QString path = m_path;
  if (!m_directory.isEmpty()) {
    const QString relative = QDir(m_directory).relativeFilePath(m_path);
    if (!relative.startsWith(QLatin1String(".."))) path = relative;  // travels with the project folder
  }
  spec["path"] = path.toStdString();
  spec["labelColumn"] = m_label->currentText().toStdString();
  // All ticked: the empty list means "all but the label", which also covers columns added to the file later.
  const QStringList features = featureColumns();
  spec["featureColumns"] = features.size() == m_features->count() ? std::string() : features.join(QLatin1Char(',')).toStdString();
  return spec;
}

}  // namespace ffn::views
