#include "views/canvas/CanvasScene.h"

#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QToolTip>

#include "views/canvas/ConnectionDrag.h"
#include "views/canvas/EdgeItem.h"
#include "views/canvas/NodeItem.h"
#include "views/canvas/PortItem.h"
#include "views/document/NetworkDocument.h"

namespace ffn::views {
namespace {

std::string edgeKey(const Edge& edge) { return edge.from + '\n' + edge.to + '\n' + std::to_string(edge.toPort); }

NodeItem* asNode(QGraphicsItem* item) {
  return item && item->type() == NodeItem::Type ? static_cast<NodeItem*>(item) : nullptr;
}

}  // namespace

CanvasScene::CanvasScene(NetworkDocument* document, QObject* parent) : QGraphicsScene(parent), m_document(document) {
  // A large fixed area: nodes can go anywhere and the view can pan past them without the scene rect jumping.
  setSceneRect(-50000, -50000, 100000, 100000);
  setItemIndexMethod(QGraphicsScene::BspTreeIndex);
  connect(document, &NetworkDocument::projectReset, this, &CanvasScene::rebuild);
  connect(document, &NetworkDocument::nodeAdded, this, &CanvasScene::addNodeItem);
  connect(document, &NetworkDocument::nodeRemoved, this, &CanvasScene::removeNodeItem);
  connect(document, &NetworkDocument::nodeChanged, this, &CanvasScene::refreshNode);
  connect(document, &NetworkDocument::nodeMoved, this, [this](const NodeId& id) {
    const Node* node = m_document->graph().node(id);
    NodeItem* item = nodeItem(id);
    if (node && item && item->pos() != QPointF(node->position.x, node->position.y))
      item->setPos(node->position.x, node->position.y);
  });
  connect(document, &NetworkDocument::edgeAdded, this, &CanvasScene::addEdgeItem);
  connect(document, &NetworkDocument::edgeRemoved, this, &CanvasScene::removeEdgeItem);
  connect(document, &NetworkDocument::checkUpdated, this, &CanvasScene::refreshChecks);
  rebuild();
}

CanvasScene::~CanvasScene() {
  // QGraphicsScene's destructor deletes the items, and deleting selected items announces a selection change; by
  // then the document (and whoever listens) may be gone already.
  blockSignals(true);
}

NodeItem* CanvasScene::nodeItem(const NodeId& id) const {
  auto it = m_nodes.find(id);
  return it == m_nodes.end() ? nullptr : it->second;
}

EdgeItem* CanvasScene::edgeItem(const Edge& edge) const {
  auto it = m_edges.find(edgeKey(edge));
  return it == m_edges.end() ? nullptr : it->second;
}

std::vector<NodeId> CanvasScene::selectedNodeIds() const {
  std::vector<NodeId> ids;
  for (const Node& node : m_document->graph().nodes())
    if (NodeItem* item = nodeItem(node.id); item && item->isSelected()) ids.push_back(node.id);
  return ids;
}

std::vector<Edge> CanvasScene::selectedEdges() const {
  std::vector<Edge> edges;
  for (const Edge& edge : m_document->graph().edges())
    if (EdgeItem* item = edgeItem(edge); item && item->isSelected()) edges.push_back(edge);
  return edges;
}

void CanvasScene::selectNodes(const std::vector<NodeId>& ids) {
  // One selectionChanged for the whole set, however many nodes it has.
  blockSignals(true);
  clearSelection();
  for (const NodeId& id : ids)
    if (NodeItem* item = nodeItem(id)) item->setSelected(true);
  blockSignals(false);
  Q_EMIT selectionChanged();
}

void CanvasScene::selectEverything() {
  QPainterPath everything;
  everything.addRect(sceneRect());
  setSelectionArea(everything, Qt::ReplaceSelection, Qt::IntersectsItemBoundingRect);
}

QRectF CanvasScene::nodesRect() const {
  QRectF rect;
  for (const auto& [id, item] : m_nodes) rect |= item->sceneBoundingRect();
  return rect;
}

std::vector<NodeItem*> CanvasScene::allNodeItems() const {
  std::vector<NodeItem*> items;
  items.reserve(m_nodes.size());
  for (const Node& node : m_document->graph().nodes())
    if (NodeItem* item = nodeItem(node.id)) items.push_back(item);
  return items;
}

void CanvasScene::rebuild() {
  m_connection.reset();
  m_dragged.clear();
  // Forget the items before deleting them: deleting a selected item announces a selection change, and listeners
  // must not find it in the maps any more. One announcement for the whole rebuild is enough.
  m_nodes.clear();
  m_edges.clear();
  const bool wasBlocked = blockSignals(true);
  clear();
  for (const Node& node : m_document->graph().nodes()) addNodeItem(node.id);
  for (const Edge& edge : m_document->graph().edges()) addEdgeItem(edge);
  refreshChecks();
  blockSignals(wasBlocked);
  Q_EMIT selectionChanged();
}

void CanvasScene::addNodeItem(const NodeId& id) {
  const Node* node = m_document->graph().node(id);
  if (!node || m_nodes.count(id)) return;
  auto* item = new NodeItem(*node, NodeKindRegistry::builtin().find(node->kind));
  item->setCheck(m_document->nodeCheck(id));
  addItem(item);
  m_nodes[id] = item;
}

void CanvasScene::removeNodeItem(const NodeId& id) {
  auto it = m_nodes.find(id);
  if (it == m_nodes.end()) return;
  NodeItem* item = it->second;
  m_nodes.erase(it);
  std::erase(m_dragged, item);
  m_connection.reset();  // a connection being dragged may point at this node's ports (an undo mid-drag)
  removeItem(item);
  delete item;
}

void CanvasScene::addEdgeItem(const Edge& edge) {
  NodeItem* from = nodeItem(edge.from);
  NodeItem* to = nodeItem(edge.to);
  if (!from || !to || m_edges.count(edgeKey(edge))) return;
  auto* item = new EdgeItem(edge, from, to);
  addItem(item);
  from->attachEdge(item);
  to->attachEdge(item);
  m_edges[edgeKey(edge)] = item;
  updatePortConnections(edge);
}

void CanvasScene::removeEdgeItem(const Edge& edge) {
  auto it = m_edges.find(edgeKey(edge));
  if (it == m_edges.end()) return;
  EdgeItem* item = it->second;
  m_edges.erase(it);
  if (item->source()) item->source()->detachEdge(item);
  if (item->target()) item->target()->detachEdge(item);
  removeItem(item);
  delete item;
  updatePortConnections(edge);
}

void CanvasScene::updatePortConnections(const Edge& edge) {
  const Graph& graph = m_document->graph();
  if (NodeItem* from = nodeItem(edge.from); from && from->outputPort())
    from->outputPort()->setConnected(!graph.outputEdges(edge.from).empty());
  if (NodeItem* to = nodeItem(edge.to); to && to->inputPort(edge.toPort))
    to->inputPort(edge.toPort)->setConnected(graph.inputEdge(edge.to, edge.toPort).has_value());
}

void CanvasScene::refreshNode(const NodeId& id) {
  if (NodeItem* item = nodeItem(id); item && m_document->graph().node(id)) item->setNode(*m_document->graph().node(id));
}

void CanvasScene::refreshChecks() {
  for (const auto& [id, item] : m_nodes) item->setCheck(m_document->nodeCheck(id));
}

void CanvasScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  m_pressOnNode = false;
  if (event->button() == Qt::LeftButton) {
    QGraphicsItem* item = itemAt(event->scenePos(), views().isEmpty() ? QTransform() : views().first()->transform());
    if (item && item->type() == PortItem::Type) {
      m_connection = std::make_unique<ConnectionDrag>(*this, *m_document, allNodeItems(), static_cast<PortItem*>(item));
      Q_EMIT statusMessage(tr("Drag to a highlighted port to connect; ports marked ✕ cannot take this edge."));
      event->accept();
      return;
    }
    m_pressOnNode = asNode(item) != nullptr;
    ++m_dragSerial;  // a new drag: its moves merge with each other only
  }
  QGraphicsScene::mousePressEvent(event);
}

void CanvasScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
  if (m_connection) {
    PortItem* port = m_connection->moveTo(event->scenePos());
    if (port && port->state() == PortItem::State::Refused) {
      QToolTip::showText(event->screenPos(), port->refusal());
      Q_EMIT statusMessage(port->refusal());
    } else {
      QToolTip::hideText();
    }
    return;
  }
  QGraphicsScene::mouseMoveEvent(event);  // moves the selected nodes
  if (m_pressOnNode && (event->buttons() & Qt::LeftButton)) {
    if (m_dragged.empty())
      for (QGraphicsItem* item : selectedItems())
        if (NodeItem* node = asNode(item)) m_dragged.push_back(node);
    pushDraggedPositions();
  }
}

void CanvasScene::pushDraggedPositions() {
  std::vector<NodePosition> positions;
  positions.reserve(m_dragged.size());
  for (NodeItem* item : m_dragged) positions.push_back({item->nodeId(), Point{item->pos().x(), item->pos().y()}});
  m_document->moveNodes(positions, m_dragSerial);
}

void CanvasScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  if (m_connection) {
    PortItem* port = m_connection->moveTo(event->scenePos());
    const Edge edge = port ? m_connection->edgeTo(port) : Edge{};
    m_connection.reset();
    QToolTip::hideText();
    if (port) {
      const Status status = m_document->connectNodes(edge);
      m_lastRefusal = status ? QString() : QString::fromStdString(status.message());
      if (!status) QToolTip::showText(event->screenPos(), m_lastRefusal);
      Q_EMIT statusMessage(status ? tr("Connected.") : tr("Not connected: %1").arg(m_lastRefusal));
    } else {
      Q_EMIT statusMessage(QString());
    }
    event->accept();
    return;
  }
  QGraphicsScene::mouseReleaseEvent(event);
  m_dragged.clear();
  m_pressOnNode = false;
}

void CanvasScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
  QGraphicsScene::mouseDoubleClickEvent(event);
  QGraphicsItem* item = itemAt(event->scenePos(), views().isEmpty() ? QTransform() : views().first()->transform());
  if (NodeItem* node = asNode(item)) Q_EMIT nodeActivated(node->nodeId());
}

bool CanvasScene::event(QEvent* event) {
  // A new system palette (light/dark switch): items paint from the palette, so repaint them all.
  if (event->type() == QEvent::PaletteChange)
    for (QGraphicsItem* item : items()) item->update();
  return QGraphicsScene::event(event);
}

}  // namespace ffn::views
