#pragma once
// CanvasScene: the graph as items — a NodeItem per node, an EdgeItem per edge — kept in step with the document
// through its signals. User gestures become document requests: a drag between ports asks to connect (and shows
// why not when the document refuses), dragging nodes asks to move them (one merged undo step per drag). The scene
// never changes the graph itself, and items are found again by node id, so undo can delete and recreate them.
#include <QGraphicsScene>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/graph/Graph.h"

namespace ffn::views {

class ConnectionDrag;
class EdgeItem;
class NetworkDocument;
class NodeItem;

class CanvasScene : public QGraphicsScene {
  Q_OBJECT

 public:
  explicit CanvasScene(NetworkDocument* document, QObject* parent = nullptr);
  ~CanvasScene() override;

  NetworkDocument* document() const { return m_document; }
  NodeItem* nodeItem(const NodeId& id) const;
  EdgeItem* edgeItem(const Edge& edge) const;
  std::size_t edgeItemCount() const { return m_edges.size(); }

  // Selected nodes in graph order (so copy and layout are deterministic), and selected edges.
  std::vector<NodeId> selectedNodeIds() const;
  std::vector<Edge> selectedEdges() const;
  void selectNodes(const std::vector<NodeId>& ids);
  void selectEverything();
  // Bounding rectangle of all nodes (empty when there are none).
  QRectF nodesRect() const;

  // The reason the last connection attempt was refused (empty after a success).
  QString lastRefusal() const { return m_lastRefusal; }

 Q_SIGNALS:
  // A line for the status bar: why a port refuses an edge, what a drag will do.
  void statusMessage(const QString& text);
  // A node was double-clicked (the main window starts renaming it).
  void nodeActivated(const ffn::NodeId& id);

 protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void rebuild();
  void addNodeItem(const NodeId& id);
  void removeNodeItem(const NodeId& id);
  void addEdgeItem(const Edge& edge);
  void removeEdgeItem(const Edge& edge);
  void refreshNode(const NodeId& id);
  void refreshChecks();
  void updatePortConnections(const Edge& edge);
  void pushDraggedPositions();
  std::vector<NodeItem*> allNodeItems() const;

  NetworkDocument* m_document;
  std::unordered_map<NodeId, NodeItem*> m_nodes;
  std::unordered_map<std::string, EdgeItem*> m_edges;  // by edgeKey()
  std::unique_ptr<ConnectionDrag> m_connection;
  std::vector<NodeItem*> m_dragged;  // nodes moving with the mouse
  bool m_pressOnNode = false;
  int m_dragSerial = 0;
  QString m_lastRefusal;
};

}  // namespace ffn::views
