#include "views/run/RunsPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "views/document/NetworkDocument.h"
#include "views/run/CompareDialog.h"
#include "views/run/RunController.h"
#include "views/run/RunRecord.h"

namespace ffn::views {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

QTableWidgetItem* numberItem(double value, int decimals, bool percent = false) {
  auto* item = new QTableWidgetItem(std::isnan(value) ? QStringLiteral("–")
                                                      : QString::number(percent ? 100.0 * value : value, 'f', decimals));
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

RunsPanel::RunsPanel(NetworkDocument* document, RunController* runs, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_runs(runs),
      m_table(new QTableWidget(0, ColumnCount)),
      m_compare(new QPushButton(tr("Compare…"))),
      m_restore(new QPushButton(tr("Restore Settings"))),
      m_copy(new QPushButton(tr("Copy CLI Command"))),
      m_export(new QPushButton(tr("Export CSV…"))),
      m_delete(new QPushButton(tr("Delete"))) {
  m_table->setObjectName(QStringLiteral("runsTable"));
  m_table->setHorizontalHeaderLabels({tr("Show"), tr("Run"), tr("Rule"), tr("Seed"), tr("Epochs"), tr("Train loss"),
                                      tr("Train acc %"), tr("Val acc %"), tr("Test loss"), tr("Test acc %"),
                                      tr("Seconds"), tr("Ended")});
  m_table->horizontalHeaderItem(Compare)->setToolTip(tr("Tick to overlay the run's curves in the charts"));
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setStretchLastSection(true);
  connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (m_filling || item->column() != Compare) return;
    m_runs->setCompared(runId(item->row()), item->checkState() == Qt::Checked);
  });
  connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunsPanel::updateButtons);
  m_compare->setObjectName(QStringLiteral("compareRuns"));
  m_compare->setToolTip(tr("Train this network once per chosen rule and seed, one after another"));
  connect(m_compare, &QPushButton::clicked, this, &RunsPanel::openCompareDialog);
  m_restore->setToolTip(tr("Make the selected run's rule, optimiser, data and seed the project's again (undoable)"));
  connect(m_restore, &QPushButton::clicked, this, &RunsPanel::restoreSelected);
  m_copy->setToolTip(tr("Copy the ffnlab-cli line that reproduces the selected run"));
  connect(m_copy, &QPushButton::clicked, this, &RunsPanel::copySelectedCli);
  connect(m_export, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Runs"), QStringLiteral("runs.csv"),
                                                      tr("CSV table (*.csv)"));
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return;
    file.write(toCsv().toUtf8());
    Q_EMIT statusMessage(tr("Runs exported to %1").arg(path));
  });
  connect(m_delete, &QPushButton::clicked, this, &RunsPanel::deleteSelected);
  // Two rows of buttons: in one row they set the window's minimum width (the window must fit a 1000-pixel screen).
  auto* buttons = new QGridLayout;
  int column = 0;
  for (QPushButton* button : {m_compare, m_restore, m_copy, m_export, m_delete}) {
    buttons->addWidget(button, column / 3, column % 3);
    ++column;
  }
  buttons->setColumnStretch(3, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(buttons);
  layout->addWidget(m_table, 1);
  connect(document, &NetworkDocument::runsChanged, this, &RunsPanel::refresh);
  connect(runs, &RunController::shownRunsChanged, this, &RunsPanel::refresh);
  refresh();
}

std::string RunsPanel::runId(int row) const {
  const QTableWidgetItem* item = m_table->item(row, Run);
  return item ? item->data(Qt::UserRole).toString().toStdString() : std::string();
}

std::string RunsPanel::selectedRun() const {
  const auto rows = m_table->selectionModel()->selectedRows();
  return rows.isEmpty() ? std::string() : runId(rows.first().row());
}

void RunsPanel::selectRun(const std::string& id) {
  for (int row = 0; row < m_table->rowCount(); ++row)
    if (runId(row) == id) m_table->selectRow(row);
}

void RunsPanel::refresh() {
  const std::string selected = selectedRun();
  m_filling = true;
  const Json& runs = m_document->project().runs;
  m_table->setRowCount(0);
  for (const Json& run : runs) {
    if (!run.is_object()) continue;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const std::string id = run.value("id", std::string());
    auto* show = new QTableWidgetItem;
    show->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    show->setCheckState(m_runs->isCompared(id) ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, Compare, show);
    auto* name = new QTableWidgetItem(qs(id));
    name->setData(Qt::UserRole, qs(id));
    name->setToolTip(qs(run.value("label", std::string())));
    m_table->setItem(row, Run, name);
    const Json settings = run.value("settings", Json::object());
    const Json training = settings.value("training", Json::object());
    m_table->setItem(row, Rule, new QTableWidgetItem(qs(training.value("rule", std::string("?")))));
    m_table->setItem(row, Seed, new QTableWidgetItem(QString::number(settings.value("seed", std::uint64_t{0}))));
    m_table->setItem(row, Epochs, numberItem(finalValue(run, "epochs"), 0));
    m_table->setItem(row, TrainLoss, numberItem(finalValue(run, "train_loss"), 4));
    m_table->setItem(row, TrainAccuracy, numberItem(finalValue(run, "train_accuracy"), 1, true));
    m_table->setItem(row, ValidationAccuracy, numberItem(finalValue(run, "validation_accuracy"), 1, true));
    m_table->setItem(row, TestLoss, numberItem(finalValue(run, "test_loss"), 4));
    m_table->setItem(row, TestAccuracy, numberItem(finalValue(run, "test_accuracy"), 1, true));
    m_table->setItem(row, Seconds, numberItem(finalValue(run, "seconds"), 1));
    auto* state = new QTableWidgetItem(qs(run.value("state", std::string())));
    state->setToolTip(qs(run.value("message", std::string())));
    m_table->setItem(row, State, state);
  }
  m_filling = false;
  if (!selected.empty()) selectRun(selected);
  updateButtons();
}

void RunsPanel::updateButtons() {
  const bool any = !selectedRun().empty();
  for (QPushButton* button : {m_restore, m_copy, m_delete}) button->setEnabled(any);
  m_export->setEnabled(m_table->rowCount() > 0);
}

QString RunsPanel::toCsv() const {
  QStringList lines;
  QStringList header;
  for (int c = Run; c < ColumnCount; ++c) header << m_table->horizontalHeaderItem(c)->text();
  lines << header.join(QLatin1Char(','));
  for (int row = 0; row < m_table->rowCount(); ++row) {
    QStringList cells;
    for (int c = Run; c < ColumnCount; ++c) {
      const QString text = m_table->item(row, c) ? m_table->item(row, c)->text() : QString();
      cells << (text == QStringLiteral("–") ? QString() : text);
    }
    lines << cells.join(QLatin1Char(','));
  }
  return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void RunsPanel::restoreSelected() {
  const Json* run = m_document->run(selectedRun());
  if (!run) return;
  auto settings = RunSettings::fromJson(run->value("settings", Json::object()));
  const Status status = settings ? m_document->setRunSettings(*settings, tr("Restore settings of %1").arg(qs(selectedRun())))
                                 : Status(settings.error());
  Q_EMIT statusMessage(status ? tr("The settings of %1 are the project's again.").arg(qs(selectedRun()))
                              : tr("Cannot restore: %1").arg(qs(status.message())));
}

void RunsPanel::deleteSelected() {
  const std::string id = selectedRun();
  if (!id.empty()) (void)m_document->removeRun(id);
}

void RunsPanel::copySelectedCli() {
  const Json* run = m_document->run(selectedRun());
  if (!run) return;
  const QString line = qs(run->value("cli", std::string()));
  QApplication::clipboard()->setText(line);
  Q_EMIT statusMessage(tr("Copied: %1").arg(line));
}

void RunsPanel::openCompareDialog() {
  const Project& project = m_document->project();
  CompareDialog dialog(project.training.rule, project.seed, this);
  if (dialog.exec() == QDialog::Accepted) m_runs->compare(dialog.variants());
}

}  // namespace ffn::views
