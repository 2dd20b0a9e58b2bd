#pragma once
// CanvasView: the window onto the canvas. Zoom (wheel, Ctrl +/-), pan (middle button, Space + drag, arrow keys),
// fit to view, rubber-band selection, drops from the palette, and the editing actions that work on the selection
// (delete, cut, copy, paste, duplicate, select all, auto-layout). The actions' shortcuts apply while the canvas has
// focus, so typing Delete in the inspector edits text, not the graph; the main window lists them in its menus.
#include <QGraphicsView>

#include "core/graph/Graph.h"

class QAction;

namespace ffn::views {

class CanvasScene;
class NetworkDocument;

class CanvasView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit CanvasView(NetworkDocument* document, QWidget* parent = nullptr);

  CanvasScene* canvasScene() const { return m_scene; }

  struct Actions {
    QAction *deleteSelection, *cut, *copy, *paste, *duplicate, *selectAll;
    QAction *zoomIn, *zoomOut, *actualSize, *fitToView, *autoLayout;
  };
  const Actions& actions() const { return m_actions; }

  // Adds a node of `kind` at the centre of what is visible (double-click or Enter in the palette).
  void addNodeAtCentre(const QString& kind);
  void fitToContents();
  // The view a project opens with: all of it when it fits at a readable size, else its top (where the Input
  // is) at the smallest readable size — a long chain is better scrolled than shrunk to illegible.
  void frameProject();
  double zoom() const { return transform().m11(); }
  void setZoom(double zoom);

 Q_SIGNALS:
  void statusMessage(const QString& text);
  void zoomChanged(double zoom);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void drawBackground(QPainter* painter, const QRectF& rect) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void createActions();
  void updateActions();
  void addNodeAt(const QString& kind, QPointF scenePoint);
  void copySelection();
  void paste();
  void duplicate();
  void autoLayout();
  void pasteGraph(const Graph& fragment, double offset, const QString& text);

  NetworkDocument* m_document;
  CanvasScene* m_scene;
  Actions m_actions{};
  bool m_spaceHeld = false;
  bool m_panning = false;
  QPoint m_panLast;
  int m_pasteCount = 0;  // successive pastes step further from the original
};

}  // namespace ffn::views
