#pragma once
// DataPanel: the data of the current run, shown the way that suits it — 2-D points with the decision boundary
// and activation maps (PlanePanel), images in a browser with predictions (DatasetBrowser), or, for anything else,
// a description of what was loaded. It follows the run: what the worker renders arrives here through the session.
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace ffn::views {

class DatasetBrowser;
class NetworkDocument;
class PlanePanel;
class TrainingSession;

class DataPanel : public QWidget {
  Q_OBJECT

 public:
  DataPanel(TrainingSession* session, NetworkDocument* document, QWidget* parent = nullptr);

  PlanePanel* planePanel() const { return m_plane; }
  DatasetBrowser* browser() const { return m_browser; }
  QLabel* description() const { return m_description; }
  // Which page shows: 0 the description, 1 the plane, 2 the browser.
  int page() const;

 private:
  TrainingSession* m_session;
  QLabel* m_description;
  QStackedWidget* m_pages;
  QLabel* m_other;
  PlanePanel* m_plane;
  DatasetBrowser* m_browser;
};

}  // namespace ffn::views
