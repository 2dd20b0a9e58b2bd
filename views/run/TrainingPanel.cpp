#include "views/run/TrainingPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <climits>

#include "core/backend/DeviceRegistry.h"
#include "core/optim/OptimizerSettings.h"
#include "core/project/ProjectFile.h"
#include "core/rules/RuleRegistry.h"
#include "views/data/DataSettingsBox.h"
#include "views/document/NetworkDocument.h"
#include "views/inspector/SpecForm.h"
#include "views/run/RunController.h"

namespace ffn::views {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

QGroupBox* group(const QString& title, QLayout* layout) {
  auto* box = new QGroupBox(title);
  box->setLayout(layout);
  return box;
}

QSpinBox* spinBox(const char* name, int minimum, int maximum, const QString& tip) {
  auto* box = new QSpinBox;
  box->setObjectName(QLatin1String(name));
  box->setRange(minimum, maximum);
  box->setKeyboardTracking(false);
  box->setGroupSeparatorShown(true);
  box->setToolTip(tip);
  return box;
}

}  // namespace

TrainingPanel::TrainingPanel(NetworkDocument* document, RunController* runs, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_runs(runs),
      m_rule(new QComboBox),
      m_description(new QLabel),
      m_ruleForm(new SpecForm(document)),
      m_epochs(spinBox("epochs", 1, kMaxEpochs, tr("Passes over the training data"))),
      m_batch(spinBox("batchSize", 1, kMaxBatchSize, tr("Samples per step: each step averages their updates"))),
      m_seed(spinBox("seed", 0, INT_MAX,
                     tr("Seeds the weights, the shuffling and the optimiser's noise: same seed, same numbers"))),
      m_optimizer(new SpecForm(document)),
      m_data(new DataSettingsBox(document)),
      m_device(new QComboBox),
      m_threads(spinBox("threads", 1, std::max(1, QThread::idealThreadCount()),
                        tr("CPU threads a run computes with (this computer's choice, not the project's). On a "
                           "CPU without AVX-512 the thread count changes the last bits of matrix products: the "
                           "CLI line says which."))),
      m_error(new QLabel) {
  m_rule->setObjectName(QStringLiteral("rule"));
  for (const RuleInfo& rule : trainingRules()) m_rule->addItem(qs(rule.title), qs(rule.name));
  connect(m_rule, &QComboBox::activated, this, &TrainingPanel::chooseRule);
  m_description->setObjectName(QStringLiteral("ruleDescription"));
  m_description->setWordWrap(true);
  m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* ruleLayout = new QVBoxLayout;
  ruleLayout->addWidget(m_rule);
  ruleLayout->addWidget(m_description);
  ruleLayout->addWidget(m_ruleForm);

  auto* trainingLayout = new QFormLayout;
  trainingLayout->addRow(tr("Epochs"), m_epochs);
  trainingLayout->addRow(tr("Batch size"), m_batch);
  trainingLayout->addRow(tr("Seed"), m_seed);
  connect(m_epochs, &QSpinBox::valueChanged, this,
          [this](int v) { setNumber("/training/epochs", v, tr("Set epochs to %1").arg(v)); });
  connect(m_batch, &QSpinBox::valueChanged, this,
          [this](int v) { setNumber("/training/batchSize", v, tr("Set batch size to %1").arg(v)); });
  connect(m_seed, &QSpinBox::valueChanged, this, [this](int v) { setNumber("/seed", v, tr("Set seed to %1").arg(v)); });

  m_optimizer->setCaptions(false);
  m_optimizer->setSpecs(optimizerParamSpecs(), "/training/optimizer");
  auto* optimizerLayout = new QVBoxLayout;
  optimizerLayout->addWidget(m_optimizer);
  auto* dataLayout = new QVBoxLayout;
  dataLayout->addWidget(m_data);

  m_device->setObjectName(QStringLiteral("device"));
  // The devices this machine offers, listed once per process (asking the OpenCL driver takes a moment).
  static const std::vector<std::string> specs = DeviceRegistry::availableSpecs();
  for (const std::string& spec : specs)
    m_device->addItem(spec == "cpu" ? tr("CPU") : qs(spec), qs(spec));
  connect(m_device, &QComboBox::activated, this, [this](int index) {
    const Status status = m_document->setSetting("/device", m_device->itemData(index).toString().toStdString(),
                                                 tr("Use device %1").arg(m_device->itemText(index)));
    showError(status ? QString() : qs(status.message()));
  });
  m_threads->setValue(RunController::defaultThreads());
  runs->setThreads(m_threads->value());
  connect(m_threads, &QSpinBox::valueChanged, runs, &RunController::setThreads);
  auto* deviceLayout = new QFormLayout;
  deviceLayout->addRow(tr("Device"), m_device);
  deviceLayout->addRow(tr("Threads"), m_threads);

  m_error->setWordWrap(true);
  m_error->setObjectName(QStringLiteral("settingsError"));
  m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
  m_error->hide();
  for (SpecForm* form : {m_ruleForm, m_optimizer}) connect(form, &SpecForm::editRefused, this, &TrainingPanel::showError);
  connect(m_data, &DataSettingsBox::editRefused, this, &TrainingPanel::showError);

  auto* content = new QWidget;
  auto* column = new QVBoxLayout(content);
  column->addWidget(group(tr("Training rule"), ruleLayout));
  column->addWidget(group(tr("Schedule"), trainingLayout));
  column->addWidget(group(tr("Optimiser"), optimizerLayout));
  column->addWidget(group(tr("Data"), dataLayout));
  column->addWidget(group(tr("Device"), deviceLayout));
  column->addWidget(m_error);
  column->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll);

  connect(document, &NetworkDocument::settingsChanged, this, &TrainingPanel::refresh);
  refresh();
}

QString TrainingPanel::lastError() const { return m_error->isVisible() ? m_error->text() : QString(); }

void TrainingPanel::showError(const QString& message) {
  m_error->setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
  m_error->setVisible(!message.isEmpty());
}

void TrainingPanel::setNumber(const char* pointer, int value, const QString& text) {
  const Status status = m_document->setSetting(pointer, value, text);
  showError(status ? QString() : qs(status.message()));
}

void TrainingPanel::chooseRule(int index) {
  const std::string name = m_rule->itemData(index).toString().toStdString();
  Json training = m_document->runSettings().json().at("training");
  if (training.value("rule", std::string()) == name) return;
  training["rule"] = name;
  training["ruleParams"] = Json::object();  // another rule's settings do not carry over
  const Status status = m_document->setSetting("/training", training, tr("Use rule %1").arg(m_rule->itemText(index)));
  showError(status ? QString() : qs(status.message()));
  refresh();
}

void TrainingPanel::refresh() {
  const Project& project = m_document->project();
  const TrainingSettings& training = project.training;
  int index = m_rule->findData(qs(training.rule));
  if (index < 0) {  // a rule from another build: shown, so that the project says what it wants
    m_rule->addItem(tr("%1 (not in this build)").arg(qs(training.rule)), qs(training.rule));
    index = m_rule->count() - 1;
  }
  m_rule->setCurrentIndex(index);
  const RuleInfo* rule = findRule(training.rule);
  m_description->setText(rule ? qs(rule->description)
                              : tr("This build has no rule '%1'; choose another to train.").arg(qs(training.rule)));
  if (training.rule != m_builtRule) {
    m_builtRule = training.rule;
    m_ruleForm->setSpecs(rule ? rule->params : std::vector<ParamSpec>{}, "/training/ruleParams");
  }
  m_ruleForm->refresh(training.ruleParams);
  m_ruleForm->setVisible(rule && !rule->params.empty());

  for (auto [box, value] : {std::pair{m_epochs, training.epochs}, std::pair{m_batch, training.batchSize},
                            std::pair{m_seed, static_cast<int>(std::min<std::uint64_t>(project.seed, INT_MAX))}}) {
    const QSignalBlocker blocker(box);
    box->setValue(value);
  }

  const Json optimizer = m_document->runSettings().json().at("training").at("optimizer");
  m_optimizer->refresh(optimizer);
  // Only the settings the chosen optimiser and schedule use.
  const std::string kind = training.optimizer.kind, schedule = training.optimizer.schedule.kind;
  m_optimizer->setRowVisible("momentum", kind == "momentum");
  m_optimizer->setRowVisible("nesterov", kind == "momentum");
  for (const char* name : {"beta1", "beta2", "epsilon"}) m_optimizer->setRowVisible(name, kind == "adam" || kind == "adamw");
  m_optimizer->setRowVisible("finalFactor", schedule == "cosine" || schedule == "linear" || schedule == "warmup-cosine");
  m_optimizer->setRowVisible("warmupFraction", schedule == "warmup-cosine");
  m_optimizer->setRowVisible("stepEvery", schedule == "step");
  m_optimizer->setRowVisible("stepGamma", schedule == "step");

  int device = m_device->findData(qs(project.device));
  if (device < 0) {
    m_device->addItem(tr("%1 (not in this build: runs use the CPU)").arg(qs(project.device)), qs(project.device));
    device = m_device->count() - 1;
  }
  m_device->setCurrentIndex(device);
}

}  // namespace ffn::views
