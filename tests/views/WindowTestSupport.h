#pragma once
// Helpers for views tests that drive the whole main window (header-only: the test glob builds tst_*.cpp only).
//  - exampleWindow(): a shown 1440 x 900 window (settings not saved) with a bundled example open, training on one
//    thread (so runs are reproducible and leave the other core to the UI).
//  - saveSnapshot(): the widget as a PNG, after the layout requests grab() would not run.
//  - click(): presses a run toolbar action's button, as a user would.
#include <QDir>
#include <QtTest>
#include <memory>

#include "views/canvas/CanvasView.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"

namespace ffn::test {

// example: a file name in resources/examples without ".ffnlab"; empty for the start-up example.
inline std::unique_ptr<views::MainWindow> exampleWindow(views::Prompter* prompter, const QString& example = {}) {
  auto w = std::make_unique<views::MainWindow>(prompter);
  w->setPersistSettings(false);
  w->resize(1440, 900);
  w->show();
  [&] {
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    w->startUp(QString(), false);
    if (!example.isEmpty())
      QVERIFY(w->controller()->openExample(QStringLiteral(":/examples/%1.ffnlab").arg(example)));
  }();
  QCoreApplication::processEvents();  // the docks take their final sizes: frame the network in what is left
  w->canvas()->frameProject();
  w->training()->runs()->setThreads(1);
  return w;
}

inline void saveSnapshot(QWidget* widget, const QString& folder, const QString& name) {
  const QString file = QDir(folder).filePath(name);
  QCoreApplication::processEvents();  // pending layout requests: grab() does not run them
  QVERIFY(widget->grab().save(file));
  qInfo("wrote %s", qPrintable(file));
}

// Clicks the toolbar button of `action`, as a user would.
inline void click(views::RunToolBar* bar, QAction* action) {
  QWidget* button = bar->widgetForAction(action);
  QVERIFY(button);
  QVERIFY2(action->isEnabled(), qPrintable(action->text()));
  QTest::mouseClick(button, Qt::LeftButton);
}

}  // namespace ffn::test
