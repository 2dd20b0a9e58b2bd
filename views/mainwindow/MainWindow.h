#pragma once
// MainWindow: the lab bench — the palette (left), the canvas (centre), the inspector, the training settings and the
// undo history (right), the run toolbar, and docks for the charts, the data, the weights and the kept runs
// (bottom). It wires these to one NetworkDocument and owns the menus; file handling lives in ProjectController,
// the training views in TrainingViews. Dock layout and window geometry persist in QSettings.
#include <QMainWindow>
#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QToolBar;
class QUndoView;

namespace ffn::views {

class CanvasView;
class InspectorWidget;
class NetworkDocument;
class PaletteWidget;
class ProjectController;
class Prompter;
class TrainingViews;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // `prompter` answers the window's questions (nullptr: dialogs); the window does not own it.
  explicit MainWindow(Prompter* prompter = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  NetworkDocument* document() const { return m_document; }
  CanvasView* canvas() const { return m_canvas; }
  PaletteWidget* palette() const { return m_palette; }
  InspectorWidget* inspector() const { return m_inspector; }
  QUndoView* undoView() const { return m_undoView; }
  ProjectController* controller() const { return m_controller; }
  TrainingViews* training() const { return m_training; }
  // Presenter mode: larger text and lines and a simplified toolbar, for a projector.
  void setPresenterMode(bool on);
  bool presenterMode() const { return m_presenter; }

  // What to show first: recovered work if a session crashed (and `offerRecovery`), else `path`, else the default
  // example.
  void startUp(const QString& path, bool offerRecovery = true);
  // Whether closing saves the window layout (off for screenshots and tests).
  void setPersistSettings(bool persist) { m_persistSettings = persist; }
  QString statusText() const;

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createDocks();
  void createMenus();
  void createStatusBar();
  void fillRecentMenu();
  void readSettings();
  void writeSettings();
  void updateTitle();
  void updateStatus();
  void showShortcuts();
  QDockWidget* addDock(const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area);

  std::unique_ptr<Prompter> m_ownPrompter;
  QToolBar* m_mainToolBar = nullptr;
  QAction* m_presenterAction = nullptr;
  QFont m_normalFont;
  bool m_presenter = false;
  NetworkDocument* m_document;
  ProjectController* m_controller;
  CanvasView* m_canvas;
  TrainingViews* m_training;
  PaletteWidget* m_palette = nullptr;
  InspectorWidget* m_inspector = nullptr;
  QUndoView* m_undoView = nullptr;
  QMenu* m_recentMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QLabel* m_validity = nullptr;
  QLabel* m_zoom = nullptr;
  QByteArray m_defaultState;
  QByteArray m_layoutBeforePresenter;  // the dock layout presenter mode restores when it ends
  bool m_persistSettings = true;
};

}  // namespace ffn::views
