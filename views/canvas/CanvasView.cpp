#include "views/canvas/CanvasView.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QUndoStack>
#include <cmath>

#include "views/canvas/AutoLayout.h"
#include "views/canvas/CanvasScene.h"
#include "views/canvas/NodeItem.h"
#include "views/document/GraphClipboard.h"
#include "views/document/NetworkDocument.h"

namespace ffn::views {
namespace {
constexpr double kMinZoom = 0.1, kMaxZoom = 3.0;
constexpr double kFitMaxZoom = 1.25;   // fitting a small graph does not blow it up
constexpr double kReadableZoom = 0.8;  // node text is still legible on a projector
constexpr double kFitMargin = 30.0;
constexpr double kPasteStep = 30.0;
constexpr double kGrid = 20.0;
}  // namespace

CanvasView::CanvasView(NetworkDocument* document, QWidget* parent)
    : QGraphicsView(parent), m_document(document), m_scene(new CanvasScene(document, this)) {
  setScene(m_scene);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
  setDragMode(QGraphicsView::RubberBandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setResizeAnchor(QGraphicsView::AnchorViewCenter);
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the canvas is endless; panning replaces scrolling
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setFrameShape(QFrame::NoFrame);
  setAcceptDrops(true);
  setFocusPolicy(Qt::StrongFocus);
  setToolTip(QString());
  createActions();
  connect(m_scene, &CanvasScene::statusMessage, this, &CanvasView::statusMessage);
  connect(m_scene, &QGraphicsScene::selectionChanged, this, &CanvasView::updateActions);
  connect(document, &NetworkDocument::projectReset, this, [this] { m_pasteCount = 0; });
  updateActions();
}

void CanvasView::createActions() {
  auto make = [this](const QString& text, const QList<QKeySequence>& keys, const QString& tip, auto slot) {
    auto* action = new QAction(text, this);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    const QString shortcut = keys.isEmpty() ? QString() : keys.first().toString(QKeySequence::NativeText);
    action->setToolTip(shortcut.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, shortcut));
    action->setStatusTip(tip);
    addAction(action);
    connect(action, &QAction::triggered, this, slot);
    return action;
  };
  Actions& a = m_actions;
  a.deleteSelection =
      make(tr("&Delete"), {QKeySequence::Delete, Qt::Key_Backspace}, tr("Delete the selected nodes and connections"),
           [this] { m_document->removeItems(m_scene->selectedNodeIds(), m_scene->selectedEdges()); });
  a.cut = make(tr("Cu&t"), {QKeySequence::Cut}, tr("Copy the selected nodes, then delete them"), [this] {
    copySelection();
    m_document->removeItems(m_scene->selectedNodeIds(), m_scene->selectedEdges());
  });
  a.copy = make(tr("&Copy"), {QKeySequence::Copy}, tr("Copy the selected nodes and the connections between them"),
                [this] { copySelection(); });
  a.paste = make(tr("&Paste"), {QKeySequence::Paste}, tr("Paste nodes from the clipboard"), [this] { paste(); });
  a.duplicate = make(tr("D&uplicate"), {QKeySequence(Qt::CTRL | Qt::Key_D)},
                     tr("Copy and paste the selection in one step"), [this] { duplicate(); });
  a.selectAll = make(tr("Select &All"), {QKeySequence::SelectAll}, tr("Select every node and connection"),
                     [this] { m_scene->selectEverything(); });
  a.zoomIn = make(tr("Zoom &In"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}, tr("Zoom in"),
                  [this] { setZoom(zoom() * 1.25); });
  a.zoomOut = make(tr("Zoom &Out"), {QKeySequence::ZoomOut}, tr("Zoom out"), [this] { setZoom(zoom() / 1.25); });
  a.actualSize = make(tr("&Actual Size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, tr("Show the canvas at 100%"),
                      [this] { setZoom(1.0); });
  a.fitToView = make(tr("&Fit to View"), {QKeySequence(Qt::Key_F), QKeySequence(Qt::Key_Home)},
                     tr("Zoom and pan so every node is visible"), [this] { fitToContents(); });
  a.autoLayout = make(tr("Auto-&Layout"), {QKeySequence(Qt::CTRL | Qt::Key_L)},
                      tr("Arrange the selected nodes (or all) in rows from input to output"), [this] { autoLayout(); });
}

void CanvasView::updateActions() {
  const bool nodes = !m_scene->selectedNodeIds().empty();
  const bool any = nodes || !m_scene->selectedEdges().empty();
  m_actions.deleteSelection->setEnabled(any);
  m_actions.cut->setEnabled(nodes);
  m_actions.copy->setEnabled(nodes);
  m_actions.duplicate->setEnabled(nodes);
}

void CanvasView::setZoom(double zoom) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  const double factor = zoom / this->zoom();
  if (std::abs(factor - 1.0) < 1e-9) return;
  scale(factor, factor);
  Q_EMIT zoomChanged(this->zoom());
}

void CanvasView::fitToContents() {
  const QRectF rect = m_scene->nodesRect();
  if (rect.isEmpty()) {
    setZoom(1.0);
    centerOn(0, 0);
    return;
  }
  fitInView(rect.adjusted(-kFitMargin, -kFitMargin, kFitMargin, kFitMargin), Qt::KeepAspectRatio);
  if (zoom() > kFitMaxZoom || zoom() < kMinZoom) setZoom(std::clamp(zoom(), kMinZoom, kFitMaxZoom));
  centerOn(rect.center());
  Q_EMIT zoomChanged(zoom());
}

void CanvasView::frameProject() {
  fitToContents();
  const QRectF rect = m_scene->nodesRect();
  if (rect.isEmpty() || zoom() >= kReadableZoom) return;
  setZoom(kReadableZoom);
  const double halfHeight = viewport()->height() / (2 * zoom());
  centerOn(rect.center().x(), rect.top() - kFitMargin + halfHeight);
}

void CanvasView::addNodeAtCentre(const QString& kind) { addNodeAt(kind, mapToScene(viewport()->rect().center())); }

void CanvasView::addNodeAt(const QString& kind, QPointF scenePoint) {
  const Point corner{scenePoint.x() - NodeItem::kWidth / 2, scenePoint.y() - NodeItem::kHeight / 2};
  auto id = m_document->addNode(kind.toStdString(), corner);
  if (!id) {
    Q_EMIT statusMessage(QString::fromStdString(id.message()));
    return;
  }
  m_scene->selectNodes({*id});
  setFocus();
  Q_EMIT statusMessage(tr("Added %1. Drag from its ports to connect it.").arg(QString::fromStdString(*id)));
}

void CanvasView::copySelection() {
  const auto ids = m_scene->selectedNodeIds();
  if (ids.empty()) return;
  copyToClipboard(m_document->fragment(ids));
  m_pasteCount = 0;
  Q_EMIT statusMessage(ids.size() == 1 ? tr("Copied 1 node.") : tr("Copied %1 nodes.").arg(ids.size()));
}

void CanvasView::paste() {
  auto fragment = graphFromClipboard();
  if (!fragment) {
    Q_EMIT statusMessage(tr("Nothing to paste: %1").arg(QString::fromStdString(fragment.message())));
    return;
  }
  ++m_pasteCount;
  pasteGraph(*fragment, kPasteStep * m_pasteCount, tr("Paste"));
}

void CanvasView::duplicate() {
  const auto ids = m_scene->selectedNodeIds();
  if (!ids.empty()) pasteGraph(m_document->fragment(ids), kPasteStep, tr("Duplicate"));
}

void CanvasView::pasteGraph(const Graph& fragment, double offset, const QString& text) {
  const auto ids = m_document->pasteFragment(fragment, Point{offset, offset}, text);
  m_scene->selectNodes(ids);
  Q_EMIT statusMessage(ids.size() == 1 ? tr("Pasted 1 node.") : tr("Pasted %1 nodes.").arg(ids.size()));
}

void CanvasView::autoLayout() {
  const auto positions = layeredLayout(m_document->graph(), m_scene->selectedNodeIds());
  m_document->moveNodes(positions, 0, tr("Auto-layout"));
  fitToContents();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ShiftModifier) {  // Shift + wheel pans sideways
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - event->angleDelta().y());
    return;
  }
  setZoom(zoom() * std::pow(1.0015, event->angleDelta().y()));  // one notch (120) = about 20 %
  event->accept();
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
    m_panning = true;
    m_panLast = event->position().toPoint();
    viewport()->setCursor(Qt::ClosedHandCursor);
    event->accept();
    return;
  }
  QGraphicsView::mousePressEvent(event);
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
  if (m_panning) {
    const QPoint delta = event->position().toPoint() - m_panLast;
    m_panLast = event->position().toPoint();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
    event->accept();
    return;
  }
  QGraphicsView::mouseMoveEvent(event);
}

void CanvasView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_panning) {
    m_panning = false;
    viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
    event->accept();
    return;
  }
  QGraphicsView::mouseReleaseEvent(event);
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    m_spaceHeld = true;
    viewport()->setCursor(Qt::OpenHandCursor);
    event->accept();
    return;
  }
  QGraphicsView::keyPressEvent(event);  // arrow keys pan
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    m_spaceHeld = false;
    viewport()->unsetCursor();
    event->accept();
    return;
  }
  QGraphicsView::keyReleaseEvent(event);
}

void CanvasView::dragEnterEvent(QDragEnterEvent* event) { dragMoveEvent(event); }

void CanvasView::dragMoveEvent(QDragMoveEvent* event) {
  if (event->mimeData()->hasFormat(QString::fromLatin1(kNodeKindMimeType)))
    event->acceptProposedAction();
  else
    event->ignore();
}

void CanvasView::dropEvent(QDropEvent* event) {
  const QMimeData* data = event->mimeData();
  if (!data->hasFormat(QString::fromLatin1(kNodeKindMimeType))) return event->ignore();
  const QString kind = QString::fromUtf8(data->data(QString::fromLatin1(kNodeKindMimeType)));
  addNodeAt(kind, mapToScene(event->position().toPoint()));
  event->acceptProposedAction();
}

void CanvasView::contextMenuEvent(QContextMenuEvent* event) {
  // Right-click on a node that is not selected works on that node, as in file managers.
  QGraphicsItem* item = itemAt(event->pos());
  while (item && item->parentItem()) item = item->parentItem();
  if (item && !item->isSelected()) {
    m_scene->clearSelection();
    item->setSelected(true);
  }
  QMenu menu(this);
  const Actions& a = m_actions;
  menu.addActions({a.cut, a.copy, a.paste, a.duplicate, a.deleteSelection});
  menu.addSeparator();
  menu.addActions({a.selectAll, a.autoLayout, a.fitToView});
  menu.exec(event->globalPos());
}

void CanvasView::drawBackground(QPainter* painter, const QRectF& rect) {
  painter->fillRect(rect, palette().color(QPalette::Window));
  if (zoom() < 0.45) return;  // the dots would only be noise
  QColor dot = palette().color(QPalette::Text);
  dot.setAlphaF(0.18f);
  painter->setPen(QPen(dot, 1.5 / zoom()));
  QVector<QPointF> points;
  for (double x = std::floor(rect.left() / kGrid) * kGrid; x < rect.right(); x += kGrid)
    for (double y = std::floor(rect.top() / kGrid) * kGrid; y < rect.bottom(); y += kGrid) points.append({x, y});
  painter->drawPoints(points.data(), static_cast<int>(points.size()));
}

}  // namespace ffn::views
