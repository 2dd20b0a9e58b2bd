#include "views/mainwindow/TrainingViews.h"

#include "views/canvas/CanvasScene.h"
#include "views/canvas/CanvasView.h"
#include "views/charts/ChartsPanel.h"
#include "views/data/DataPanel.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"
#include "views/run/RunsPanel.h"
#include "views/run/TrainingPanel.h"
#include "views/weights/WeightsPanel.h"

namespace ffn::views {

TrainingViews::TrainingViews(NetworkDocument* document, CanvasView* canvas, QObject* parent)
    : QObject(parent), m_runs(new RunController(document, this)) {
  // The widgets get their parents from the docks the main window puts them in.
  m_settings = new TrainingPanel(document, m_runs);
  m_toolBar = new RunToolBar(m_runs);
  m_charts = new ChartsPanel;
  m_data = new DataPanel(m_runs->session());
  m_weights = new WeightsPanel;
  m_runsPanel = new RunsPanel(document, m_runs);

  connect(m_runs, &RunController::shownRunsChanged, m_charts, [this] { m_charts->setRuns(m_runs->shownRuns()); });
  connect(m_runs, &RunController::livePointsAdded, m_charts,
          [this](const RunCurves::Added& added) { m_charts->appendPoints(m_runs->liveCurves(), added); });
  TrainingSession* session = m_runs->session();
  connect(session, &TrainingSession::weightsUpdated, m_weights, &WeightsPanel::showTiles);
  connect(session, &TrainingSession::histogramsUpdated, m_weights, &WeightsPanel::showHistograms);
  connect(session, &TrainingSession::runStarted, m_weights, &WeightsPanel::clear);
  connect(session, &TrainingSession::runReset, m_weights, &WeightsPanel::clear);
  // A node clicked on the canvas: its units' activation maps, if the run's data is 2-D.
  CanvasScene* scene = canvas->canvasScene();
  auto showSelected = [this, scene] {
    const auto ids = scene->selectedNodeIds();
    m_runs->session()->showActivations(ids.size() == 1 ? ids.front() : NodeId());
    if (ids.size() != 1) m_data->planePanel()->clearActivations();
  };
  connect(scene, &QGraphicsScene::selectionChanged, this, showSelected);
  connect(session, &TrainingSession::prepared, this, showSelected);  // a node selected before the run started
  connect(m_runs, &RunController::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_toolBar, &RunToolBar::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_charts, &ChartsPanel::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_runsPanel, &RunsPanel::statusMessage, this, &TrainingViews::statusMessage);
}

void TrainingViews::setPresenterMode(bool on) {
  m_toolBar->setPresenterMode(on);
  m_charts->setPresenterMode(on);
  m_data->planePanel()->plane()->setPresenterMode(on);
}

}  // namespace ffn::views
