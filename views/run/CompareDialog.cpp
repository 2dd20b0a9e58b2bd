#include "views/run/CompareDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "core/rules/RuleRegistry.h"

namespace ffn::views {

CompareDialog::CompareDialog(const std::string& currentRule, std::uint64_t currentSeed, QWidget* parent)
    : QDialog(parent), m_rules(new QListWidget), m_seeds(new QLineEdit), m_summary(new QLabel) {
  setWindowTitle(tr("Compare Runs"));
  for (const RuleInfo& rule : trainingRules()) {
    auto* item = new QListWidgetItem(QString::fromStdString(rule.title), m_rules);
    item->setData(Qt::UserRole, QString::fromStdString(rule.name));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(rule.name == currentRule ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(QString::fromStdString(rule.description));
  }
  m_seeds->setText(QString::number(currentSeed));
  m_seeds->setPlaceholderText(tr("e.g. 1, 2, 3"));
  connect(m_rules, &QListWidget::itemChanged, this, &CompareDialog::updateSummary);
  connect(m_seeds, &QLineEdit::textChanged, this, &CompareDialog::updateSummary);
  auto* form = new QFormLayout;
  form->addRow(tr("Rules"), m_rules);
  form->addRow(tr("Seeds"), m_seeds);
  m_summary->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Train All"));
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (!variants().empty()) accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Train the same network on the same data once for every rule and seed ticked; the "
                                  "runs are kept with the project and overlaid in the charts.")));
  layout->addLayout(form);
  layout->addWidget(m_summary);
  layout->addWidget(buttons);
  updateSummary();
}

std::vector<RunController::Variant> CompareDialog::variants() const {
  m_error.clear();
  std::vector<std::uint64_t> seeds;
  static const QRegularExpression separators(QStringLiteral("[,; ]+"));
  for (const QString& part : m_seeds->text().split(separators, Qt::SkipEmptyParts)) {
    bool ok = false;
    const qulonglong seed = part.toULongLong(&ok);
    if (!ok) {
      m_error = tr("'%1' is not a seed (a whole number >= 0)").arg(part);
      return {};
    }
    seeds.push_back(seed);
  }
  if (seeds.empty()) m_error = tr("give at least one seed");
  std::vector<std::string> rules;
  for (int i = 0; i < m_rules->count(); ++i)
    if (m_rules->item(i)->checkState() == Qt::Checked) rules.push_back(m_rules->item(i)->data(Qt::UserRole).toString().toStdString());
  if (rules.empty()) m_error = tr("tick at least one rule");
  if (!m_error.isEmpty()) return {};
  std::vector<RunController::Variant> result;
  for (const std::string& rule : rules)
    for (std::uint64_t seed : seeds) result.push_back({rule, seed});
  return result;
}

void CompareDialog::updateSummary() {
  const auto runs = variants();
  m_summary->setText(runs.empty() ? QStringLiteral("⚠ ") + m_error : tr("%n run(s) will train, one after another.", nullptr,
                                                                        static_cast<int>(runs.size())));
}

}  // namespace ffn::views
