// Canvas benchmark: a chain of 500 layers (502 nodes with Input and Output, 501 edges) on the canvas. Measures
// loading it (document reset, items built, first paint), selecting everything, dragging the selection (real mouse
// events through the view, one merged undo step), undoing and redoing that move, changing one setting (the whole
// graph is checked again), and painting the whole graph fitted to the view. Prints JSON (medians of a few repetitions); never fails on time.
#include <QApplication>
#include <QMouseEvent>
#include <QUndoStack>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "tests/bench/BenchSupport.h"
#include "views/canvas/CanvasScene.h"
#include "views/canvas/CanvasView.h"
#include "views/canvas/NodeItem.h"
#include "views/document/NetworkDocument.h"

using namespace ffn;
using namespace ffn::views;

namespace {

constexpr int kLayers = 500;
constexpr int kRepetitions = 5;
constexpr int kMoveSteps = 20;

Project bigChain() {
  Project project;
  const auto node = [](std::string id, std::string kind, int index, Json params) {
    // Columns of 25 nodes, flowing down each column.
    return Node{id, kind, id, std::move(params), Point{(index / 25) * 260.0, (index % 25) * 100.0}};
  };
  (void)project.graph.addNode(node("input", "Input", 0, {{"shape", {64}}}));
  NodeId previous = "input";
  for (int i = 1; i <= kLayers; ++i) {
    const bool dense = i % 2 == 1;
    NodeId id = (dense ? "dense" : "relu") + std::to_string(i);
    (void)project.graph.addNode(node(id, dense ? "Dense" : "ReLU", i, dense ? Json{{"units", 64}} : Json::object()));
    (void)project.graph.connect({previous, id, 0});
    previous = id;
  }
  (void)project.graph.addNode(node("output", "Output", kLayers + 1, Json::object()));
  (void)project.graph.connect({previous, "output", 0});
  return project;
}

double milliseconds(const std::function<void()>& work) { return 1e3 * bench::seconds(work); }

void mouse(QWidget* target, QEvent::Type type, QPoint at, Qt::MouseButtons buttons) {
  QMouseEvent event(type, QPointF(at), target->mapToGlobal(QPointF(at)), Qt::LeftButton, buttons, Qt::NoModifier);
  QApplication::sendEvent(target, &event);
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  NetworkDocument document;
  CanvasView view(&document);
  view.resize(1400, 900);
  view.show();
  QApplication::processEvents();
  CanvasScene* scene = view.canvasScene();
  QWidget* viewport = view.viewport();
  const Project project = bigChain();
  const auto paint = [&] {
    viewport->repaint();  // paints now, not on the next event loop turn
    QApplication::processEvents();
  };

  std::vector<double> load, selectAll, move, undo, redo, fitPaint, setParam;
  for (int run = 0; run < kRepetitions; ++run) {
    load.push_back(milliseconds([&] {
      document.reset(project, {});
      view.setZoom(1.0);
      view.centerOn(scene->nodeItem("dense1")->sceneBoundingRect().center());
      paint();
    }));
    selectAll.push_back(milliseconds([&] {
      scene->selectEverything();
      paint();
    }));
    // Drag the whole selection by one of its nodes, as a person would.
    const QPoint start = view.mapFromScene(scene->nodeItem("dense1")->mapToScene(QPointF(NodeItem::kWidth * 0.75, 30)));
    move.push_back(milliseconds([&] {
      mouse(viewport, QEvent::MouseButtonPress, start, Qt::LeftButton);
      for (int step = 1; step <= kMoveSteps; ++step) {
        mouse(viewport, QEvent::MouseMove, start + QPoint(4 * step, 3 * step), Qt::LeftButton);
        paint();
      }
      mouse(viewport, QEvent::MouseButtonRelease, start + QPoint(4 * kMoveSteps, 3 * kMoveSteps), Qt::NoButton);
      paint();
    }));
    if (document.undoStack()->count() != 1 || document.graph().node("input")->position.x != 4.0 * kMoveSteps) {
      std::fprintf(stderr, "bench_canvas: the drag did not move the selection as one step\n");
      return 1;
    }
    undo.push_back(milliseconds([&] {
      document.undoStack()->undo();
      paint();
    }));
    redo.push_back(milliseconds([&] {
      document.undoStack()->redo();
      paint();
    }));
    // One setting changed: the whole graph is checked again and every node's shape label refreshed.
    setParam.push_back(milliseconds([&] {
      (void)document.setParam("dense1", "units", 65 + run);
      paint();
    }));
    fitPaint.push_back(milliseconds([&] {
      view.fitToContents();
      paint();
    }));
  }

  std::printf(
      "{\"benchmark\": \"canvas\", \"nodes\": %zu, \"edges\": %zu, \"repetitions\": %d, \"load_ms\": %.2f, "
      "\"select_all_ms\": %.2f, \"move_ms\": %.2f, \"move_steps\": %d, \"move_step_ms\": %.2f, \"undo_move_ms\": %.2f, "
      "\"redo_move_ms\": %.2f, \"set_param_ms\": %.2f, \"fit_and_paint_all_ms\": %.2f}\n",
      project.graph.nodes().size(), project.graph.edges().size(), kRepetitions, bench::median(load),
      bench::median(selectAll), bench::median(move), kMoveSteps, bench::median(move) / kMoveSteps, bench::median(undo),
      bench::median(redo), bench::median(setParam), bench::median(fitPaint));
  return 0;
}
