#include "views/run/RunToolBar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <QStyle>

#include "views/run/RunController.h"
#include "views/style/QuietLabel.h"

namespace ffn::views {
namespace {
constexpr int kDelays[RunToolBar::kSpeeds] = {500, 200, 80, 25, 5, 0};  // milliseconds after each step
}

int RunToolBar::delayAt(int position) { return kDelays[std::clamp(position, 0, kSpeeds - 1)]; }

RunToolBar::RunToolBar(RunController* runs, QWidget* parent)
    : QToolBar(tr("Run"), parent), m_runs(runs), m_speed(new QSlider(Qt::Horizontal)), m_status(new QuietLabel(1)) {
  setObjectName(QStringLiteral("runToolBar"));
  setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  QStyle* style = this->style();
  auto add = [this](const QString& text, const QIcon& icon, const QKeySequence& key, const QString& tip, auto slot) {
    QAction* action = addAction(icon, text);
    action->setShortcut(key);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    connect(action, &QAction::triggered, m_runs, slot);
    return action;
  };
  m_actions.train = add(tr("Train"), style->standardIcon(QStyle::SP_MediaPlay), QKeySequence(Qt::Key_F5),
                        tr("Train: start a run, or resume a paused one"), &RunController::train);
  m_actions.pause = add(tr("Pause"), style->standardIcon(QStyle::SP_MediaPause), QKeySequence(Qt::Key_F6),
                        tr("Pause after the current step"), &RunController::pause);
  m_actions.stepBatch = add(tr("Step"), style->standardIcon(QStyle::SP_MediaSeekForward), QKeySequence(Qt::Key_F10),
                            tr("Train one minibatch, then pause"), &RunController::stepBatch);
  m_actions.stepEpoch = add(tr("Epoch"), style->standardIcon(QStyle::SP_MediaSkipForward),
                            QKeySequence(Qt::SHIFT | Qt::Key_F10), tr("Train to the end of this epoch, then pause"),
                            &RunController::stepEpoch);
  m_actions.stop = add(tr("Stop"), style->standardIcon(QStyle::SP_MediaStop), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                       tr("Stop training; the trained network stays to look at"), &RunController::stop);
  m_actions.reset = add(tr("Reset"), style->standardIcon(QStyle::SP_BrowserReload),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                        tr("Forget the current run (it stays in Runs) and start afresh"), &RunController::reset);
  m_actions.stepEpoch->setObjectName(QStringLiteral("stepEpoch"));
  addSeparator();
  auto* speedLabel = new QLabel(tr(" Speed "));
  addWidget(speedLabel);
  m_speed->setObjectName(QStringLiteral("speed"));
  m_speed->setRange(0, kSpeeds - 1);
  m_speed->setPageStep(1);
  m_speed->setTickPosition(QSlider::TicksBelow);
  m_speed->setValue(kSpeeds - 1);
  m_speed->setFixedWidth(110);
  m_speed->setToolTip(tr("Slow training down for a demonstration: a pause after every step"));
  connect(m_speed, &QSlider::valueChanged, this, [this](int position) { m_runs->setDelay(delayAt(position)); });
  addWidget(m_speed);
  addSeparator();
  m_actions.copyCli = addAction(tr("Copy CLI Command"));
  m_actions.copyCli->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  m_actions.copyCli->setToolTip(tr("Copy the ffnlab-cli line that trains this project with the same numbers"));
  connect(m_actions.copyCli, &QAction::triggered, this, [this] {
    const QString line = m_runs->cliCommand();
    QApplication::clipboard()->setText(line);
    Q_EMIT statusMessage(tr("Copied: %1 (it reads the saved project file)").arg(line));
  });
  // The run's state and numbers are shown by the window's status bar (statusLabel()): a toolbar has no room.
  m_status->setObjectName(QStringLiteral("runStatus"));
  m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);  // long texts never widen the window

  connect(runs->session(), &TrainingSession::stateChanged, this, [this](RunState, const QString& message) {
    updateActions();
    showProgress();
    if (!message.isEmpty()) m_status->setToolTip(message);
  });
  connect(runs->session(), &TrainingSession::runStarted, this, [this] { m_evaluation.clear(); });
  connect(runs->session(), &TrainingSession::runReset, this, [this] { m_evaluation.clear(); });
  connect(runs->session(), &TrainingSession::progressed, this, [this](const std::vector<TrainingProgress>& points) {
    noteEvaluations(points);
    showProgress();
  });
  updateActions();
  showProgress();
}

void RunToolBar::updateActions() {
  const RunState state = m_runs->state();
  const bool active = m_runs->hasLiveRun();
  m_actions.train->setEnabled(state != RunState::Running && state != RunState::Preparing);
  m_actions.train->setText(state == RunState::Paused ? tr("Resume") : tr("Train"));
  m_actions.pause->setEnabled(state == RunState::Running);
  m_actions.stepBatch->setEnabled(state != RunState::Preparing);
  m_actions.stepEpoch->setEnabled(state != RunState::Preparing);
  m_actions.stop->setEnabled(active && canTrain(state));
  m_actions.reset->setEnabled(active);
}

void RunToolBar::showProgress() {
  const RunState state = m_runs->state();
  const auto& history = m_runs->session()->history();
  QString text = runStateText(state);
  if (!history.empty()) {
    const TrainingProgress& p = history.back();
    text += tr(" · epoch %1/%2 · step %3 · loss %4")
                .arg(p.epoch)
                .arg(p.epochs)
                .arg(QLocale().toString(static_cast<qlonglong>(p.step)))
                .arg(QLocale().toString(p.epochLoss, 'f', 4));
    text += m_evaluation;
  }
  m_status->setText(text);
}

void RunToolBar::noteEvaluations(const std::vector<TrainingProgress>& points) {
  // Only the points just added: searching the whole history back on every update grew with the run.
  for (auto it = points.rbegin(); it != points.rend(); ++it)
    if (it->hasTest || it->hasValidation) {
      const EvalStats& eval = it->hasTest ? it->test : it->validation;
      m_evaluation = tr(" · %1 accuracy %2 %")
                         .arg(it->hasTest ? tr("test") : tr("validation"))
                         .arg(QLocale().toString(100.0 * eval.accuracy(), 'f', 1));
      return;
    }
}

void RunToolBar::setPresenterMode(bool on) {
  setIconSize(on ? QSize(36, 36) : QSize(24, 24));
  QFont font = QApplication::font();
  if (on) font.setPointSizeF(font.pointSizeF() * 1.5);
  setFont(font);
}

}  // namespace ffn::views
