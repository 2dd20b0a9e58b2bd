#include "views/data/DataSettingsBox.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/data/DataSpec.h"
#include "views/data/CsvImportDialog.h"
#include "views/document/NetworkDocument.h"
#include "views/inspector/SpecForm.h"

namespace ffn::views {
namespace {

QString kindTitle(const std::string& kind) {
  if (kind == "fashion-mnist") return QObject::tr("Fashion-MNIST (clothing images)");
  if (kind == "idx") return QObject::tr("IDX image files");
  if (kind == "csv") return QObject::tr("CSV table");
  if (kind == "permutation") return QObject::tr("Permutation task");
  return QObject::tr("%1 (2-D points)").arg(QString::fromStdString(kind));
}

}  // namespace

DataSettingsBox::DataSettingsBox(NetworkDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_kind(new QComboBox),
      m_summary(new QLabel),
      m_form(new SpecForm(document)),
      m_import(new QPushButton(tr("Import CSV…"))) {
  m_kind->setObjectName(QStringLiteral("dataKind"));
  for (const std::string& kind : dataKinds()) m_kind->addItem(kindTitle(kind), QString::fromStdString(kind));
  connect(m_kind, &QComboBox::activated, this, [this](int index) { chooseKind(m_kind->itemData(index).toString()); });
  m_import->setObjectName(QStringLiteral("importCsv"));
  m_import->setToolTip(tr("Pick a CSV file, look at its first rows, choose the label and feature columns"));
  connect(m_import, &QPushButton::clicked, this, &DataSettingsBox::importCsv);
  connect(m_form, &SpecForm::editRefused, this, &DataSettingsBox::editRefused);
  m_summary->setWordWrap(true);
  m_summary->setForegroundRole(QPalette::PlaceholderText);
  auto* row = new QHBoxLayout;
  row->addWidget(m_kind, 1);
  row->addWidget(m_import);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row);
  layout->addWidget(m_summary);
  layout->addWidget(m_form);
  connect(document, &NetworkDocument::settingsChanged, this, &DataSettingsBox::refresh);
  refresh();
}

void DataSettingsBox::refresh() {
  const Json& spec = m_document->project().dataset;
  const std::string kind = spec.is_object() ? spec.value("kind", std::string()) : std::string();
  const int index = m_kind->findData(QString::fromStdString(kind));
  m_kind->setCurrentIndex(index);
  if (kind != m_builtKind) {
    m_builtKind = kind;
    const auto specs = dataParamSpecs(kind);
    m_form->setSpecs(specs, "/dataset", {"samples", "noise"});
  }
  m_form->refresh(spec);
  m_summary->setText(kind.empty() ? tr("The project names no data yet: choose a kind.")
                     : index < 0  ? tr("Data kind '%1' is not known to this build.").arg(QString::fromStdString(kind))
                                  : QString());
  m_summary->setVisible(!m_summary->text().isEmpty());
}

void DataSettingsBox::chooseKind(const QString& kind) {
  if (kind == QLatin1String("csv")) return importCsv();
  const std::string name = kind.toStdString();
  Json spec = defaultDataSpec(name);
  // Moving between the synthetic sets keeps the size, noise and split one was using.
  const Json& old = m_document->project().dataset;
  if (old.is_object())
    for (const char* key : {"samples", "noise", "testFraction", "validationFraction", "seed"})
      if (spec.contains(key) && old.contains(key)) spec[key] = old[key];
  const Status status = m_document->setSetting("/dataset", spec, tr("Use data %1").arg(kind));
  if (!status) Q_EMIT editRefused(QString::fromStdString(status.message()));
  refresh();
}

void DataSettingsBox::importCsv() {
  const QString file = m_document->filePath();
  const QString directory = file.isEmpty() || file.startsWith(QLatin1Char(':')) ? QString() : QFileInfo(file).absolutePath();
  CsvImportDialog dialog(directory, this);
  if (dialog.exec() != QDialog::Accepted) return refresh();
  const Status status = m_document->setSetting("/dataset", dialog.spec(), tr("Import CSV"));
  if (!status) Q_EMIT editRefused(QString::fromStdString(status.message()));
  refresh();
}

}  // namespace ffn::views
