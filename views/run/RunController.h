#pragma once
// RunController: the lab's training runs, between the document and the views. It starts runs from a snapshot of
// the document's project (Train, Step), forwards pause/step/stop/reset and the speed, keeps the live run's curves
// for the charts, records every run that trained at least one step with the project (Project.runs) when it ends,
// and runs comparison queues: the same network with several rules or seeds, one after another.
#include <QDateTime>
#include <QObject>

class QTimer;
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "views/charts/RunCurves.h"
#include "views/run/TrainingSession.h"

namespace ffn::views {

class NetworkDocument;

class RunController : public QObject {
  Q_OBJECT

 public:
  // One run of a comparison: the project's settings with this rule and/or seed.
  struct Variant {
    std::optional<std::string> rule;
    std::optional<std::uint64_t> seed;
  };

  RunController(NetworkDocument* document, QObject* parent = nullptr);

  TrainingSession* session() const { return m_session; }
  RunState state() const { return m_session->state(); }
  // Compute threads of the runs started from now on (0 = one less than the cores, at least 1).
  void setThreads(int threads);
  int threads() const { return m_threads; }
  static int defaultThreads();

  // Train: resumes a paused run, else starts a new one running.
  void train();
  void pause();
  // Steps a paused run (starting one, paused, when there is none that can train).
  void stepBatch();
  void stepEpoch();
  void stop();
  void reset();
  void setDelay(int milliseconds);
  // Trains every variant in turn; the runs end up ticked for comparison.
  void compare(const std::vector<Variant>& variants);
  int queuedRuns() const { return static_cast<int>(m_queue.size()); }

  // The curves of the live run (empty before the first step) and of kept runs.
  const RunCurves& liveCurves() const { return m_live; }
  bool hasLiveRun() const { return m_session->active(); }
  // Kept runs shown in the charts beside the live run.
  void setCompared(const std::string& id, bool shown);
  bool isCompared(const std::string& id) const { return m_compared.count(id) > 0; }
  std::vector<const RunCurves*> shownRuns();

  // The `ffnlab-cli train` line for the project as it is now (the saved file it would read).
  QString cliCommand() const;
  // The id the current run is (or will be) recorded under.
  std::string liveRunId() const { return m_liveId; }

 Q_SIGNALS:
  // The runs the charts show changed (a run started or was reset, a kept run was ticked): redraw.
  void shownRunsChanged();
  // New points of the live run; `settled`: the run stopped moving (paused, stopped, ended) — show them all now.
  void livePointsAdded(const ffn::views::RunCurves::Added& added, bool settled);
  void statusMessage(const QString& text);

 private:
  static constexpr int kChartInterval = 100;  // ms between chart redraws of a live run

  void start(bool running, const Variant& variant = {});
  void record();
  void flushPoints(bool settled = false);  // sends the live points the charts have not had yet
  void runsShownChanged();  // the charts redraw every shown run from scratch
  void onState(RunState state, const QString& message);
  QString directory() const;

  NetworkDocument* m_document;
  TrainingSession* m_session;
  int m_threads = 0;
  QTimer* m_chartTimer;
  RunCurves m_live;
  RunCurves::Added m_unsent;  // live points the charts have not had yet
  std::string m_liveId;
  QDateTime m_liveStarted;
  Project m_liveProject;
  bool m_liveRecorded = false;
  std::deque<Variant> m_queue;
  std::vector<std::string> m_queueIds;  // runs of the current comparison
  std::set<std::string> m_compared;
  std::map<std::string, RunCurves> m_kept;  // curves of kept runs, read on demand
};

}  // namespace ffn::views
