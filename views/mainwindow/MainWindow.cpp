#include "views/mainwindow/MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>

#include "views/canvas/CanvasScene.h"
#include "views/canvas/CanvasView.h"
#include "views/document/NetworkDocument.h"
#include "views/document/ProjectIo.h"
#include "views/heatmap/HeatmapsPanel.h"
#include "views/inspector/InspectorWidget.h"
#include "views/mainwindow/DialogPrompter.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/RecentFiles.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/palette/PaletteWidget.h"
#include "views/charts/ChartsPanel.h"
#include "views/data/DataPanel.h"
#include "views/run/RunToolBar.h"
#include "views/run/RunsPanel.h"
#include "views/run/TrainingPanel.h"
#include "views/style/PresenterScale.h"
#include "views/style/QuietLabel.h"
#include "views/weights/WeightsPanel.h"

namespace ffn::views {
namespace {
constexpr int kSettingsVersion = 2;  // bump when the docks change, so an old saved layout is not restored

// The platform's keys for a standard action, or `fallback` where the platform defines none (Save As and Quit have
// no binding on some platforms, e.g. the offscreen one).
QList<QKeySequence> keys(QKeySequence::StandardKey key, const QKeySequence& fallback) {
  QList<QKeySequence> bindings = QKeySequence::keyBindings(key);
  bindings.removeAll(QKeySequence());
  return bindings.isEmpty() ? QList<QKeySequence>{fallback} : bindings;
}
}  // namespace

MainWindow::MainWindow(Prompter* prompter, QWidget* parent)
    : QMainWindow(parent),
      m_ownPrompter(prompter ? nullptr : std::make_unique<DialogPrompter>(this)),
      m_document(new NetworkDocument(this)),
      m_controller(new ProjectController(m_document, prompter ? prompter : m_ownPrompter.get(), this)),
      m_canvas(new CanvasView(m_document)),
      m_training(new TrainingViews(m_document, m_canvas, this)) {
  setCentralWidget(m_canvas);
  setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
  createDocks();
  createMenus();
  createStatusBar();
  m_defaultState = saveState(kSettingsVersion);
  readSettings();

  connect(m_document, &NetworkDocument::modifiedChanged, this, &MainWindow::updateTitle);
  connect(m_document, &NetworkDocument::filePathChanged, this, &MainWindow::updateTitle);
  connect(m_document, &NetworkDocument::projectReset, this, &MainWindow::updateTitle);
  connect(m_document, &NetworkDocument::checkUpdated, this, &MainWindow::updateStatus);
  connect(m_controller, &ProjectController::projectOpened, m_canvas, &CanvasView::frameProject);
  connect(m_controller, &ProjectController::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 5000); });
  connect(m_canvas, &CanvasView::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  CanvasScene* scene = m_canvas->canvasScene();
  connect(scene, &QGraphicsScene::selectionChanged, this,
          [this, scene] { m_inspector->showSelection(scene->selectedNodeIds()); });
  connect(scene, &CanvasScene::nodeActivated, this, [this] { m_inspector->focusLabel(); });
  connect(m_palette, &PaletteWidget::kindActivated, m_canvas, &CanvasView::addNodeAtCentre);
  connect(m_palette, &PaletteWidget::statusMessage, this, [this](const QString& text) {
    statusBar()->showMessage(text, 5000);
  });
  connect(m_training, &TrainingViews::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  updateTitle();
  updateStatus();
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(name);  // saveState() finds docks by name
  dock->setWidget(content);
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::createDocks() {
  m_palette = new PaletteWidget;
  m_inspector = new InspectorWidget(m_document);
  m_undoView = new QUndoView(m_document->undoStack());
  m_undoView->setEmptyLabel(tr("<opened>"));
  QDockWidget* palette = addDock(tr("Layers"), QStringLiteral("paletteDock"), m_palette, Qt::LeftDockWidgetArea);
  QDockWidget* inspector =
      addDock(tr("Inspector"), QStringLiteral("inspectorDock"), m_inspector, Qt::RightDockWidgetArea);
  QDockWidget* history = addDock(tr("History"), QStringLiteral("historyDock"), m_undoView, Qt::RightDockWidgetArea);
  splitDockWidget(inspector, history, Qt::Vertical);

  QDockWidget* training =
      addDock(tr("Training"), QStringLiteral("trainingDock"), m_training->settings(), Qt::RightDockWidgetArea);
  tabifyDockWidget(inspector, training);
  inspector->raise();

  // Bottom: the charts beside the data; kept runs behind the charts, weights and heatmaps behind the data.
  QDockWidget* charts = addDock(tr("Charts"), QStringLiteral("chartsDock"), m_training->charts(), Qt::BottomDockWidgetArea);
  QDockWidget* data = addDock(tr("Data"), QStringLiteral("dataDock"), m_training->data(), Qt::BottomDockWidgetArea);
  splitDockWidget(charts, data, Qt::Horizontal);
  QDockWidget* runs = addDock(tr("Runs"), QStringLiteral("runsDock"), m_training->runsPanel(), Qt::BottomDockWidgetArea);
  tabifyDockWidget(charts, runs);
  QDockWidget* weights =
      addDock(tr("Weights"), QStringLiteral("weightsDock"), m_training->weights(), Qt::BottomDockWidgetArea);
  tabifyDockWidget(data, weights);
  QDockWidget* heatmaps =
      addDock(tr("Heatmaps"), QStringLiteral("heatmapsDock"), m_training->heatmaps(), Qt::BottomDockWidgetArea);
  tabifyDockWidget(data, heatmaps);
  charts->raise();
  data->raise();
  resizeDocks({palette, inspector}, {210, 330}, Qt::Horizontal);
  resizeDocks({inspector, history}, {520, 200}, Qt::Vertical);
  resizeDocks({charts}, {300}, Qt::Vertical);
  resizeDocks({charts, data}, {560, 420}, Qt::Horizontal);
}

void MainWindow::createMenus() {
  auto addAction = [this](QMenu* menu, const QString& text, const QList<QKeySequence>& keys, auto slot) {
    QAction* action = menu->addAction(text);
    action->setShortcuts(keys);
    connect(action, &QAction::triggered, this, slot);
    return action;
  };
  QStyle* style = this->style();

  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* newAction = addAction(file, tr("&New"), {QKeySequence::New}, [this] { m_controller->newProject(); });
  QAction* openAction = addAction(file, tr("&Open…"), {QKeySequence::Open}, [this] { m_controller->open(); });
  m_recentMenu = file->addMenu(tr("Open &Recent"));
  connect(m_controller->recentFiles(), &RecentFiles::changed, this, &MainWindow::fillRecentMenu);
  fillRecentMenu();
  QMenu* examples = file->addMenu(tr("&Examples"));
  examples->setToolTipsVisible(true);
  // Filled when first opened: reading every example for its name is no work for start-up.
  connect(examples, &QMenu::aboutToShow, this, [this, examples] {
    if (!examples->isEmpty()) return;
    for (const QString& path : ProjectController::examples()) {
      auto project = readProjectFile(path);
      const QString name =
          project && !project->name.empty() ? QString::fromStdString(project->name) : QFileInfo(path).baseName();
      QAction* example = examples->addAction(name, this, [this, path] { m_controller->openExample(path); });
      if (project) example->setToolTip(QString::fromStdString(project->description));
    }
  });
  file->addSeparator();
  QAction* saveAction = addAction(file, tr("&Save"), {QKeySequence::Save}, [this] { m_controller->save(); });
  addAction(file, tr("Save &As…"), keys(QKeySequence::SaveAs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            [this] { m_controller->saveAs(); });
  file->addSeparator();
  addAction(file, tr("&Import ONNX Model…"), {}, [this] { m_controller->importOnnxModel(); });
  addAction(file, tr("&Export ONNX Model…"), {}, [this] { m_controller->exportOnnxModel(); });
  file->addSeparator();
  addAction(file, tr("&Quit"), keys(QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)), [this] { close(); });
  newAction->setIcon(style->standardIcon(QStyle::SP_FileIcon));
  openAction->setIcon(style->standardIcon(QStyle::SP_DialogOpenButton));
  saveAction->setIcon(style->standardIcon(QStyle::SP_DialogSaveButton));

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcuts(QKeySequence::Undo);
  undo->setIconText(tr("Undo"));  // the toolbar keeps a short label; the menu says what will be undone
  undo->setIcon(style->standardIcon(QStyle::SP_ArrowBack));
  QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  redo->setIcon(style->standardIcon(QStyle::SP_ArrowForward));
  redo->setIconText(tr("Redo"));
  edit->addActions({undo, redo});
  edit->addSeparator();
  const CanvasView::Actions& canvas = m_canvas->actions();
  edit->addActions({canvas.cut, canvas.copy, canvas.paste, canvas.duplicate, canvas.deleteSelection});
  edit->addSeparator();
  edit->addAction(canvas.selectAll);
  addAction(edit, tr("Re&name Node"), {QKeySequence(Qt::Key_F2)}, [this] { m_inspector->focusLabel(); });

  m_viewMenu = menuBar()->addMenu(tr("&View"));
  m_viewMenu->addActions({canvas.zoomIn, canvas.zoomOut, canvas.actualSize, canvas.fitToView});
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(canvas.autoLayout);
  m_viewMenu->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) m_viewMenu->addAction(dock->toggleViewAction());
  m_viewMenu->addSeparator();
  addAction(m_viewMenu, tr("Reset &Layout"), {}, [this] { restoreState(m_defaultState, kSettingsVersion); });

  m_presenterAction = m_viewMenu->addAction(tr("&Presenter Mode"));
  m_presenterAction->setCheckable(true);
  m_presenterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  connect(m_presenterAction, &QAction::toggled, this, &MainWindow::setPresenterMode);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  const RunToolBar::Actions& runActions = m_training->toolBar()->actions();
  run->addActions({runActions.train, runActions.pause, runActions.stepBatch, runActions.stepEpoch, runActions.stop,
                   runActions.reset});
  run->addSeparator();
  run->addAction(runActions.copyCli);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  addAction(help, tr("&Keyboard Shortcuts"), {QKeySequence::HelpContents}, [this] { showShortcuts(); });
  addAction(help, tr("&About FFN Lab"), {}, [this] {
    QMessageBox::about(this, tr("About FFN Lab"),
                       tr("<b>FFN Lab</b> %1<br>A laboratory for feed-forward neural networks: build them, train them "
                          "with backprop and its alternatives, and see what they learned.")
                           .arg(QApplication::applicationVersion()));
  });

  QToolBar* tools = addToolBar(tr("Main"));
  m_mainToolBar = tools;
  tools->setObjectName(QStringLiteral("mainToolBar"));
  tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  tools->addActions({newAction, openAction, saveAction});
  tools->addSeparator();
  tools->addActions({undo, redo});
  tools->addSeparator();
  tools->addActions({canvas.fitToView, canvas.autoLayout});
  // The run's controls on a row of their own: side by side with the editing tools they would set the window's
  // minimum width, and on a projector they are what matters.
  addToolBarBreak();
  addToolBar(m_training->toolBar());
}

void MainWindow::setPresenterMode(bool on) {
  if (on == m_presenter) return;
  m_presenter = on;
  if (m_presenterAction->isChecked() != on) m_presenterAction->setChecked(on);
  // Larger text everywhere (a projector's back row), thicker lines, and only the run's controls in the toolbar.
  if (on) m_normalFont = QApplication::font();
  QFont font = m_normalFont;
  if (on) font.setPointSizeF(m_normalFont.pointSizeF() * kPresenterFontScale);
  QApplication::setFont(font);
  if (on) {
    // The editing docks give way to what a class watches (the network, the charts, the data), and the charts
    // grow: at the larger text the normal 300-px charts had no room left for their axis labels. Leaving presenter
    // mode restores the layout exactly as it was.
    m_layoutBeforePresenter = saveState(kSettingsVersion);
    for (const QString& name : {QStringLiteral("paletteDock"), QStringLiteral("historyDock")})
      if (auto* dock = findChild<QDockWidget*>(name)) dock->hide();
    if (auto* charts = findChild<QDockWidget*>(QStringLiteral("chartsDock")))
      resizeDocks({charts}, {height() * 11 / 20}, Qt::Vertical);
  }
  m_mainToolBar->setVisible(!on);
  m_training->setPresenterMode(on);
  if (!on && !m_layoutBeforePresenter.isEmpty()) restoreState(m_layoutBeforePresenter, kSettingsVersion);
  statusBar()->showMessage(on ? tr("Presenter mode: Ctrl+Shift+P returns to the normal view") : QString(), 6000);
}

void MainWindow::fillRecentMenu() {
  m_recentMenu->clear();
  const QStringList paths = m_controller->recentFiles()->paths();
  for (int i = 0; i < paths.size(); ++i) {
    const QString& path = paths[i];
    QAction* action = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
                                              [this, path] { m_controller->openFile(path); });
    action->setStatusTip(path);
  }
  if (!paths.isEmpty()) m_recentMenu->addSeparator();
  QAction* clear = m_recentMenu->addAction(tr("&Clear List"), this, [this] { m_controller->recentFiles()->clear(); });
  clear->setEnabled(!paths.isEmpty());
}

void MainWindow::createStatusBar() {
  m_validity = new QLabel;
  m_zoom = new QLabel;
  statusBar()->addPermanentWidget(m_training->toolBar()->statusLabel(), 1);
  statusBar()->addPermanentWidget(m_validity);
  statusBar()->addPermanentWidget(m_zoom);
  connect(m_canvas, &CanvasView::zoomChanged, this,
          [this](double zoom) { m_zoom->setText(QStringLiteral("%1 %").arg(qRound(zoom * 100))); });
}

QString MainWindow::statusText() const { return statusBar()->currentMessage(); }

void MainWindow::updateTitle() {
  setWindowTitle(QStringLiteral("%1[*] — %2").arg(m_document->displayName(), tr("FFN Lab")));
  setWindowModified(m_document->isModified());
}

void MainWindow::updateStatus() {
  const GraphCheck& check = m_document->check();
  qlonglong weights = 0;
  for (const auto& [id, node] : check.nodes) weights += node.weightCount;
  if (check.ok()) {
    m_validity->setText(tr("✓ Ready to train · %1 weights").arg(QLocale().toString(weights)));
    m_validity->setToolTip(tr("The network is one complete chain from Input to Output, and every shape fits."));
  } else {
    const QString problem = QString::fromStdString(check.firstError());
    m_validity->setText(QStringLiteral("⚠ ") + fontMetrics().elidedText(problem, Qt::ElideRight, 360));
    m_validity->setToolTip(problem);
  }
}

void MainWindow::showShortcuts() {
  const QString rows[][2] = {
      {tr("Add a layer"), tr("Drag it from Layers, or double-click it")},
      {tr("Connect"), tr("Drag from a node's bottom port to another node's top port")},
      {tr("Select several"), tr("Drag a rectangle on empty canvas; Ctrl+click")},
      {tr("Zoom"), tr("Mouse wheel; Ctrl++ and Ctrl+-; Ctrl+0 for 100 %")},
      {tr("Pan"), tr("Middle mouse button, or Space + drag; arrow keys")},
      {tr("Fit to view"), tr("F or Home")},
      {tr("Auto-layout"), tr("Ctrl+L")},
      {tr("Delete"), tr("Delete or Backspace")},
      {tr("Copy, cut, paste, duplicate"), tr("Ctrl+C, Ctrl+X, Ctrl+V, Ctrl+D")},
      {tr("Undo, redo"), tr("Ctrl+Z, Ctrl+Shift+Z")},
      {tr("Rename the selected node"), tr("F2, or double-click it")},
      {tr("Train, resume"), tr("F5")},
      {tr("Pause, stop"), tr("F6, Shift+F5")},
      {tr("Step one batch, one epoch"), tr("F10, Shift+F10")},
      {tr("Activation maps of a layer (2-D data)"), tr("Click the layer on the canvas")},
      {tr("Presenter mode"), tr("Ctrl+Shift+P")},
  };
  QString html = QStringLiteral("<table cellspacing=6>");
  for (const auto& row : rows) html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(row[0], row[1]);
  QMessageBox::information(this, tr("Keyboard Shortcuts"), html + QStringLiteral("</table>"));
}

void MainWindow::startUp(const QString& path, bool offerRecovery) {
  if (offerRecovery && m_controller->offerRecovery()) return;
  if (!path.isEmpty() && m_controller->openFile(path)) return;
  if (!m_controller->openExample(ProjectController::defaultExample())) m_controller->newProject();
}

void MainWindow::readSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
    const QSize available = screen()->availableGeometry().size();
    resize(std::min(1440, available.width() * 9 / 10), std::min(900, available.height() * 9 / 10));
  }
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray(), kSettingsVersion);
}

void MainWindow::writeSettings() {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  // Presenter mode's layout is for the projector: the one kept is the layout it will return to.
  settings.setValue(QStringLiteral("window/state"), m_presenter ? m_layoutBeforePresenter : saveState(kSettingsVersion));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!m_controller->confirmDiscard()) {
    event->ignore();
    return;
  }
  if (m_persistSettings) writeSettings();
  event->accept();
}

}  // namespace ffn::views
