#include "views/mainwindow/TrainingViews.h"

#include "views/canvas/CanvasScene.h"
#include "views/canvas/CanvasView.h"
#include "views/charts/ChartsPanel.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/data/PermutationView.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/document/NetworkDocument.h"
#include "views/heatmap/HeatmapsPanel.h"
#include "views/heatmap/LrpSettingsBar.h"
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
  m_data = new DataPanel(m_runs->session(), document);
  m_weights = new WeightsPanel;
  m_heatmaps = new HeatmapsPanel;
  m_runsPanel = new RunsPanel(document, m_runs);

  connect(m_runs, &RunController::shownRunsChanged, m_charts, [this] { m_charts->setRuns(m_runs->shownRuns()); });
  connect(m_runs, &RunController::livePointsAdded, m_charts, [this](const RunCurves::Added& added, bool settled) {
    m_charts->appendPoints(m_runs->liveCurves(), added, settled);
  });
  TrainingSession* session = m_runs->session();
  connect(session, &TrainingSession::weightsUpdated, m_weights, &WeightsPanel::showTiles);
  connect(session, &TrainingSession::histogramsUpdated, m_weights, &WeightsPanel::showHistograms);
  connect(session, &TrainingSession::runStarted, m_weights, &WeightsPanel::clear);
  connect(session, &TrainingSession::runReset, m_weights, &WeightsPanel::clear);
  // The heatmaps follow the project's LRP settings (composite, per-node rules) as they are edited, undone or redone.
  connect(document, &NetworkDocument::settingsChanged, this,
          [this, document] { m_runs->session()->setLrp(document->project().lrp); });
  connect(session, &TrainingSession::prepared, m_heatmaps,
          [this](const RunInfo& info) { m_heatmaps->setSamples(info.samples, info.classNames); });
  connect(m_heatmaps, &HeatmapsPanel::gridRequested, session, &TrainingSession::showGrid);
  connect(m_heatmaps, &HeatmapsPanel::evaluationRequested, session, &TrainingSession::evaluateFlipping);
  connect(session, &TrainingSession::gridUpdated, m_heatmaps, &HeatmapsPanel::showGrid);
  connect(session, &TrainingSession::flippingUpdated, m_heatmaps, &HeatmapsPanel::showFlipping);
  connect(session, &TrainingSession::runReset, m_heatmaps, &HeatmapsPanel::clear);
  // A node clicked on the canvas: its units' activation maps, if the run's data is 2-D, and its LRP rule.
  CanvasScene* scene = canvas->canvasScene();
  auto showSelected = [this, scene] {
    const auto ids = scene->selectedNodeIds();
    m_runs->session()->showActivations(ids.size() == 1 ? ids.front() : NodeId());
    if (ids.size() != 1) m_data->planePanel()->clearActivations();
  };
  connect(scene, &QGraphicsScene::selectionChanged, this, showSelected);
  connect(scene, &QGraphicsScene::selectionChanged, this, [this, scene] {
    const auto ids = scene->selectedNodeIds();
    m_data->browser()->lrpBar()->setNode(ids.size() == 1 ? ids.front() : NodeId());
  });
  connect(session, &TrainingSession::prepared, this, showSelected);  // a node selected before the run started
  connect(m_runs, &RunController::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_toolBar, &RunToolBar::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_charts, &ChartsPanel::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_runsPanel, &RunsPanel::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_heatmaps, &HeatmapsPanel::statusMessage, this, &TrainingViews::statusMessage);
  connect(m_data->browser(), &DatasetBrowser::statusMessage, this, &TrainingViews::statusMessage);
}

void TrainingViews::setPresenterMode(bool on) {
  m_toolBar->setPresenterMode(on);
  m_charts->setPresenterMode(on);
  m_data->planePanel()->plane()->setPresenterMode(on);
  m_heatmaps->setPresenterMode(on);
  m_data->permutation()->setPresenterMode(on);
}

}  // namespace ffn::views
