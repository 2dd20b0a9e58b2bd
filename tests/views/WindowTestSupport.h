#pragma once
// Helpers for views tests that drive the whole main window (header-only: the test glob builds tst_*.cpp only).
//  - exampleWindow(): a shown 1440 x 900 window (settings not saved) with a bundled example open, training on one
//    thread (so runs are reproducible and leave the other core to the UI).
//  - saveSnapshot(): the widget as a PNG, after the layout requests grab() would not run.
//  - smallPermutationProject(): the bundled permutation example made small enough for a test (seconds).
//  - click(): presses a run toolbar action's button, as a user would.
//  - haveFashionMnist(): whether the data set the image examples train on is installed.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/graph/ParamSpec.h"
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

// The bundled k = 10 example made small: k = 4, every nonzero input tested, width 256, 300 epochs, 6 members.
inline QString smallPermutationProject(const QTemporaryDir& dir) {
  QFile example(QStringLiteral(":/examples/permutation-k10.ffnlab"));
  if (!example.open(QIODevice::ReadOnly)) return {};
  Json project = Json::parse(example.readAll().toStdString());
  project["name"] = "Permutation, k = 4";
  project["dataset"]["k"] = 4;
  project["dataset"]["test"] = "all";
  project["training"]["epochs"] = 300;
  project["training"]["batchSize"] = 4;
  project["training"]["optimizer"]["lr"] = 0.01;
  project["training"]["ruleParams"]["members"] = 6;
  project["training"]["ruleParams"]["threads"] = 1;
  for (Json& node : project["graph"]["nodes"]) {
    if (node["id"] == "input") node["params"]["shape"] = Json::array({4});
    if (node["id"] == "hidden") node["params"]["units"] = 256;
    if (node["id"] == "readout") node["params"]["units"] = 4;
  }
  const QString path = dir.filePath(QStringLiteral("perm-k4.ffnlab"));
  QFile out(path);
  if (!out.open(QIODevice::WriteOnly)) return {};
  out.write(QByteArray::fromStdString(project.dump(2)));
  return path;
}

// Clicks the toolbar button of `action`, as a user would.
inline void click(views::RunToolBar* bar, QAction* action) {
  QWidget* button = bar->widgetForAction(action);
  QVERIFY(button);
  QVERIFY2(action->isEnabled(), qPrintable(action->text()));
  QTest::mouseClick(button, Qt::LeftButton);
}

inline bool haveFashionMnist() {
  return QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
}

}  // namespace ffn::test
