#pragma once
// ConnectionDrag: one drag from a port, from press to release. At the start it asks the document, for every port
// at the other end of a possible edge, whether it could take the edge (canConnect), and marks it as a candidate or
// as refused with the reason; then it follows the mouse with a rubber-band edge that snaps to nearby ports.
#include <QPointF>
#include <QString>
#include <vector>

#include "core/graph/Graph.h"

class QGraphicsScene;

namespace ffn::views {

class EdgeItem;
class NetworkDocument;
class NodeItem;
class PortItem;

class ConnectionDrag {
 public:
  ConnectionDrag(QGraphicsScene& scene, const NetworkDocument& document, const std::vector<NodeItem*>& nodes,
                 PortItem* start);
  ~ConnectionDrag();
  ConnectionDrag(const ConnectionDrag&) = delete;
  ConnectionDrag& operator=(const ConnectionDrag&) = delete;

  // Moves the loose end; returns the port now under it (nullptr: none).
  PortItem* moveTo(QPointF scenePoint);
  PortItem* hovered() const { return m_hovered; }
  // The edge the drag would make with `other`.
  Edge edgeTo(const PortItem* other) const;

 private:
  QGraphicsScene& m_scene;
  PortItem* m_start;
  EdgeItem* m_line;
  std::vector<PortItem*> m_targets;  // every port at the other end, marked Candidate or Refused
  PortItem* m_hovered = nullptr;
};

}  // namespace ffn::views
