#pragma once
// DataPanel: the data of the current run, shown the way that suits it — 2-D points with the decision boundary
// and activation maps (PlanePanel), images in a browser with predictions (DatasetBrowser), the permutation task's
// learned matrix (PermutationView), or, for anything else, a description of what was loaded. It follows the run: what the worker renders arrives here through the session.
// Before the first Train a synthetic 2-D set is drawn at once (a preview generated here), so a class sees the
// task before the network meets it.
#include <QWidget>

#include "core/graph/ParamSpec.h"  // Json

class QLabel;
class QStackedWidget;

namespace ffn::views {

class DatasetBrowser;
class NetworkDocument;
class PermutationView;
class PlanePanel;
class TrainingSession;

class DataPanel : public QWidget {
  Q_OBJECT

 public:
  DataPanel(TrainingSession* session, NetworkDocument* document, QWidget* parent = nullptr);

  PlanePanel* planePanel() const { return m_plane; }
  DatasetBrowser* browser() const { return m_browser; }
  PermutationView* permutation() const { return m_permutation; }
  QLabel* description() const { return m_description; }
  // Which page shows: 0 the description, 1 the plane, 2 the browser, 3 the learned permutation.
  int page() const;
  // Whether a data spec is drawn before a run (the synthetic 2-D sets: cheap to generate on the UI thread).
  static bool previewable(const Json& spec);

 private:
  void showPreview();

  TrainingSession* m_session;
  NetworkDocument* m_document;
  Json m_previewed;  // the spec the preview shows (null: none)
  QLabel* m_description;
  QStackedWidget* m_pages;
  QLabel* m_other;
  PlanePanel* m_plane;
  DatasetBrowser* m_browser;
  PermutationView* m_permutation;
};

}  // namespace ffn::views
