#pragma once
// TrainingViews: the lab's training half — the run controller and every view of a run (settings, toolbar,
// charts, data, heatmaps, weights, kept runs) — created together and wired to each other, to the document and to
// the canvas (clicking a node shows its activation maps and picks it for an LRP rule of its own). The main window
// only places them in docks.
#include <QObject>

namespace ffn::views {

class CanvasView;
class ChartsPanel;
class DataPanel;
class HeatmapsPanel;
class NetworkDocument;
class RunController;
class RunToolBar;
class RunsPanel;
class TrainingPanel;
class WeightsPanel;

class TrainingViews : public QObject {
  Q_OBJECT

 public:
  TrainingViews(NetworkDocument* document, CanvasView* canvas, QObject* parent = nullptr);

  RunController* runs() const { return m_runs; }
  TrainingPanel* settings() const { return m_settings; }
  RunToolBar* toolBar() const { return m_toolBar; }
  ChartsPanel* charts() const { return m_charts; }
  DataPanel* data() const { return m_data; }
  WeightsPanel* weights() const { return m_weights; }
  HeatmapsPanel* heatmaps() const { return m_heatmaps; }
  RunsPanel* runsPanel() const { return m_runsPanel; }
  void setPresenterMode(bool on);

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  RunController* m_runs;
  TrainingPanel* m_settings;
  RunToolBar* m_toolBar;
  ChartsPanel* m_charts;
  DataPanel* m_data;
  WeightsPanel* m_weights;
  HeatmapsPanel* m_heatmaps;
  RunsPanel* m_runsPanel;
};

}  // namespace ffn::views
