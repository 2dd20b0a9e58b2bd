#include "views/canvas/ConnectionDrag.h"

#include <QGraphicsScene>
#include <QLineF>

#include "views/canvas/EdgeItem.h"
#include "views/canvas/NodeItem.h"
#include "views/canvas/PortItem.h"
#include "views/document/NetworkDocument.h"

namespace ffn::views {
namespace {
constexpr double kSnapDistance = 22.0;  // scene units: the loose end snaps to a port this close
}

ConnectionDrag::ConnectionDrag(QGraphicsScene& scene, const NetworkDocument& document,
                               const std::vector<NodeItem*>& nodes, PortItem* start)
    : m_scene(scene), m_start(start), m_line(new EdgeItem(start->scenePos(), start->isOutput())) {
  m_scene.addItem(m_line);
  for (NodeItem* node : nodes) {
    if (node->nodeId() == start->nodeId()) continue;
    std::vector<PortItem*> ports;
    if (start->isOutput())
      ports = node->inputPorts();
    else if (node->outputPort())
      ports = {node->outputPort()};
    for (PortItem* port : ports) {
      const Status status = document.canConnect(edgeTo(port));
      port->setState(status ? PortItem::State::Candidate : PortItem::State::Refused,
                     status ? QString() : QString::fromStdString(status.message()));
      m_targets.push_back(port);
    }
  }
}

ConnectionDrag::~ConnectionDrag() {
  for (PortItem* port : m_targets) port->setState(PortItem::State::Normal);
  m_scene.removeItem(m_line);
  delete m_line;
}

Edge ConnectionDrag::edgeTo(const PortItem* other) const {
  const PortItem* out = m_start->isOutput() ? m_start : other;
  const PortItem* in = m_start->isOutput() ? other : m_start;
  return Edge{out->nodeId(), in->nodeId(), in->port()};
}

PortItem* ConnectionDrag::moveTo(QPointF scenePoint) {
  PortItem* nearest = nullptr;
  double best = kSnapDistance;
  for (PortItem* port : m_targets) {
    const double distance = QLineF(port->scenePos(), scenePoint).length();
    if (distance < best) {
      best = distance;
      nearest = port;
    }
  }
  if (nearest != m_hovered) {
    if (m_hovered && m_hovered->state() == PortItem::State::Accepting) m_hovered->setState(PortItem::State::Candidate);
    if (nearest && nearest->state() == PortItem::State::Candidate) nearest->setState(PortItem::State::Accepting);
    m_hovered = nearest;
  }
  const bool refused = nearest && nearest->state() == PortItem::State::Refused;
  m_line->setRefused(refused);
  m_line->setLooseEnd(nearest && !refused ? nearest->scenePos() : scenePoint);
  return nearest;
}

}  // namespace ffn::views
