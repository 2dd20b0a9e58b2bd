#include "views/run/RunController.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <QTimer>

#include "views/document/NetworkDocument.h"
#include "views/run/RunRecord.h"

namespace ffn::views {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

// What the charts and the runs table call a run: its rule and seed, which is what comparisons vary.
QString runLabel(const std::string& id, const Project& project) {
  return QStringLiteral("%1 %2 · seed %3").arg(qs(id), qs(project.training.rule)).arg(project.seed);
}

bool isResource(const QString& path) { return path.startsWith(QLatin1Char(':')); }

}  // namespace

RunController::RunController(NetworkDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_session(new TrainingSession(this)), m_chartTimer(new QTimer(this)) {
  connect(m_session, &TrainingSession::progressed, this, [this](const std::vector<TrainingProgress>& points) {
    RunCurves::Added added;
    const bool first = m_live.steps.empty();
    m_live.add(points, &added);
    if (first) return runsShownChanged();  // the live run's charts start
    // Charts redraw at most every kChartInterval: a fast run posts far more often than a chart needs to move.
    for (auto& [name, list] : added.steps) m_unsent.steps[name] += list;
    for (auto& [name, list] : added.epochs) m_unsent.epochs[name] += list;
    if (!m_chartTimer->isActive()) m_chartTimer->start();
  });
  m_chartTimer->setSingleShot(true);
  m_chartTimer->setInterval(kChartInterval);
  connect(m_chartTimer, &QTimer::timeout, this, [this] { flushPoints(); });
  connect(m_session, &TrainingSession::stateChanged, this, &RunController::onState);
  connect(m_document, &NetworkDocument::projectReset, this, [this] {
    m_queue.clear();
    m_compared.clear();
    m_kept.clear();
    m_session->reset();
    m_live = RunCurves{};
    runsShownChanged();
  });
  connect(m_document, &NetworkDocument::runsChanged, this, [this] {
    // A deleted run leaves the comparison; curves are read again when next shown.
    std::set<std::string> still;
    for (const std::string& id : m_compared)
      if (m_document->run(id)) still.insert(id);
    const bool changed = still != m_compared;
    m_compared = std::move(still);
    m_kept.clear();
    if (changed) runsShownChanged();
  });
}

int RunController::defaultThreads() { return std::max(1, QThread::idealThreadCount() - 1); }

void RunController::setThreads(int threads) { m_threads = threads; }

QString RunController::directory() const {
  const QString path = m_document->filePath();
  return path.isEmpty() || isResource(path) ? QDir::currentPath() : QFileInfo(path).absolutePath();
}

QString RunController::cliCommand() const {
  const QString path = m_document->filePath();
  return views::cliCommand(isResource(path) ? QString() : path, m_document->project(),
                           m_threads > 0 ? m_threads : defaultThreads());
}

void RunController::start(bool running, const Variant& variant) {
  if (m_session->active() && !m_liveRecorded) record();  // the run being replaced is kept first
  Project project = m_document->project();
  project.runs = Json::array();  // the worker needs no history
  // The same overrides as `ffnlab-cli train --rule/--seed`: another rule starts from its own defaults.
  if (variant.rule && *variant.rule != project.training.rule) {
    project.training.rule = *variant.rule;
    project.training.ruleParams = Json::object();
  }
  if (variant.seed) project.seed = *variant.seed;
  m_liveProject = project;
  m_liveId = nextRunId(m_document->project().runs);
  m_liveStarted = QDateTime::currentDateTime();
  m_liveRecorded = false;
  m_live = RunCurves{};
  m_live.label = runLabel(m_liveId, project);
  RunRequest request{std::move(project), directory().toStdString(), m_threads > 0 ? m_threads : defaultThreads()};
  m_session->start(std::move(request));
  if (running) m_session->run();
  runsShownChanged();
}

void RunController::train() {
  if (canTrain(m_session->state()) && m_session->active())
    m_session->run();
  else
    start(true);
}

void RunController::pause() { m_session->pause(); }

void RunController::stepBatch() {
  if (!(canTrain(m_session->state()) && m_session->active())) start(false);
  m_session->stepBatch();
}

void RunController::stepEpoch() {
  if (!(canTrain(m_session->state()) && m_session->active())) start(false);
  m_session->stepEpoch();
}

void RunController::stop() {
  m_queue.clear();  // stopping by hand ends a comparison too
  m_session->stop();
}

void RunController::reset() {
  m_queue.clear();
  if (m_session->active() && !m_liveRecorded) record();
  m_session->reset();
  m_live = RunCurves{};
  m_liveId.clear();
  runsShownChanged();
}

void RunController::flushPoints(bool settled) {
  m_chartTimer->stop();
  if (m_unsent.steps.empty() && m_unsent.epochs.empty()) return;
  Q_EMIT livePointsAdded(std::exchange(m_unsent, RunCurves::Added{}), settled);
}

void RunController::runsShownChanged() {
  // The charts draw the runs whole: points not yet sent are in them.
  m_chartTimer->stop();
  m_unsent = RunCurves::Added{};
  Q_EMIT shownRunsChanged();
}

void RunController::setDelay(int milliseconds) { m_session->setDelay(milliseconds); }

void RunController::compare(const std::vector<Variant>& variants) {
  if (variants.empty()) return;
  m_queue.assign(variants.begin(), variants.end());
  m_queueIds.clear();
  const Variant first = m_queue.front();
  m_queue.pop_front();
  start(true, first);
  m_queueIds.push_back(m_liveId);
}

void RunController::onState(RunState state, const QString& message) {
  if (state != RunState::Running) flushPoints(true);  // a run that stops moving shows all its points at once
  if (state == RunState::Failed && !message.isEmpty()) Q_EMIT statusMessage(tr("Training failed: %1").arg(message));
  if (state != RunState::Finished && state != RunState::Stopped && state != RunState::Failed) return;
  if (!m_liveRecorded) record();
  if (state == RunState::Finished && !m_queue.empty()) {
    const Variant next = m_queue.front();
    m_queue.pop_front();
    start(true, next);
    m_queueIds.push_back(m_liveId);
    return;
  }
  if (!m_queueIds.empty() && m_queue.empty()) {
    for (const std::string& id : m_queueIds)
      if (m_document->run(id)) m_compared.insert(id);
    m_queueIds.clear();
    runsShownChanged();
  }
}

void RunController::record() {
  m_liveRecorded = true;
  if (m_session->history().empty()) return;  // nothing was trained: nothing to keep
  RunRecordInput input;
  input.id = m_liveId;
  input.label = m_live.label;
  input.project = m_liveProject;
  input.threads = m_session->request().threads;
  const QString path = m_document->filePath();
  input.projectPath = isResource(path) ? QString() : path;
  input.state = canTrain(m_session->state()) ? RunState::Stopped : m_session->state();
  input.curves = &m_live;
  input.history = &m_session->history();
  input.startedAt = m_liveStarted.toString(Qt::ISODate);
  m_document->appendRun(makeRunRecord(input));
  m_live.id = qs(m_liveId);
}

void RunController::setCompared(const std::string& id, bool shown) {
  if (shown == isCompared(id)) return;
  if (shown)
    m_compared.insert(id);
  else
    m_compared.erase(id);
  runsShownChanged();
}

std::vector<const RunCurves*> RunController::shownRuns() {
  std::vector<const RunCurves*> runs;
  if (m_session->active() && !m_live.steps.empty()) runs.push_back(&m_live);
  for (const Json& run : m_document->project().runs) {
    const std::string id = run.is_object() ? run.value("id", std::string()) : std::string();
    if (!m_compared.count(id) || (id == m_liveId && m_session->active())) continue;
    auto it = m_kept.find(id);
    if (it == m_kept.end()) it = m_kept.emplace(id, RunCurves::fromRecord(run)).first;
    runs.push_back(&it->second);
  }
  return runs;
}

}  // namespace ffn::views
