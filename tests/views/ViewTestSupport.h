#pragma once
// Helpers shared by the views tests (header-only: the test glob builds tst_*.cpp files only).
//  - isolate(): settings and recovery files of tests go to QStandardPaths' test locations, per test program.
//  - FakePrompter: scripted answers to the questions the application asks.
//  - Canvas gestures as real QTest mouse events on the view's viewport, in scene coordinates.
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#include "views/canvas/CanvasScene.h"
#include "views/canvas/CanvasView.h"
#include "views/canvas/NodeItem.h"
#include "views/canvas/PortItem.h"
#include "views/document/Autosaver.h"
#include "views/mainwindow/Prompter.h"

namespace ffn::test {

inline void isolate(const QString& programName) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("FFNLabTests"));
  QCoreApplication::setApplicationName(programName);
  QSettings().clear();
  QDir(views::Autosaver::defaultDirectory()).removeRecursively();
}

class FakePrompter : public views::Prompter {
 public:
  QList<SaveChoice> saveAnswers;  // taken in order; Cancel when none is left
  bool recoverAnswer = true;
  QString openPath, savePath;
  int saveQuestions = 0, recoverQuestions = 0;
  QString lastRecoverDetails;
  QStringList errors;

  SaveChoice askToSaveChanges(const QString&) override {
    ++saveQuestions;
    return saveAnswers.isEmpty() ? SaveChoice::Cancel : saveAnswers.takeFirst();
  }
  bool askToRecover(const QString& details) override {
    ++recoverQuestions;
    lastRecoverDetails = details;
    return recoverAnswer;
  }
  QString askOpenPath() override { return openPath; }
  QString askSavePath(const QString&) override { return savePath; }
  void showError(const QString& title, const QString& message) override { errors << title + ": " + message; }
};

// A node at `position` with the kind's default settings plus `params`.
inline Node makeNode(const std::string& id, const std::string& kind, Point position, Json params = Json::object()) {
  Json complete = defaultParams(NodeKindRegistry::builtin().find(kind)->params);
  for (const auto& [key, value] : params.items()) complete[key] = value;
  return Node{id, kind, id, complete, position};
}

inline Project projectOf(const std::vector<Node>& nodes, const std::vector<Edge>& edges = {}) {
  Project project;
  project.name = "test";
  for (const Node& node : nodes) (void)project.graph.addNode(node);
  for (const Edge& edge : edges) (void)project.graph.connect(edge);
  return project;
}

inline QPoint toViewport(views::CanvasView* view, QPointF scenePoint) { return view->mapFromScene(scenePoint); }

inline QPointF outputPortPos(views::CanvasView* view, const NodeId& id) {
  return view->canvasScene()->nodeItem(id)->outputPort()->scenePos();
}
inline QPointF inputPortPos(views::CanvasView* view, const NodeId& id, int port = 0) {
  return view->canvasScene()->nodeItem(id)->inputPort(port)->scenePos();
}
inline QPointF nodeBodyPos(views::CanvasView* view, const NodeId& id) {
  // The middle of the node's right half: on the body, clear of the ports and the badge.
  return view->canvasScene()->nodeItem(id)->mapToScene(
      QPointF(views::NodeItem::kWidth * 0.75, views::NodeItem::kHeight / 2));
}

// Press at `from`, move in steps, optionally run `beforeRelease` (to look at the canvas mid-drag), release at `to`.
template <typename Callback>
void dragOnCanvas(views::CanvasView* view, QPointF from, QPointF to, Callback beforeRelease, int steps = 8,
                  Qt::KeyboardModifiers modifiers = {}) {
  QWidget* viewport = view->viewport();
  const QPoint start = toViewport(view, from), end = toViewport(view, to);
  QTest::mousePress(viewport, Qt::LeftButton, modifiers, start);
  for (int i = 1; i <= steps; ++i) QTest::mouseMove(viewport, start + (end - start) * i / steps);
  beforeRelease();
  QTest::mouseRelease(viewport, Qt::LeftButton, modifiers, end);
}

inline void dragOnCanvas(views::CanvasView* view, QPointF from, QPointF to, int steps = 8) {
  dragOnCanvas(
      view, from, to, [] {}, steps);
}

}  // namespace ffn::test
