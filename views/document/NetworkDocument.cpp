#include "views/document/NetworkDocument.h"

#include <QFileInfo>
#include <QUndoStack>
#include <algorithm>

#include "views/document/commands/MoveNodesCommand.h"
#include "views/document/commands/RemoveRunCommand.h"
#include "views/document/commands/RenameNodeCommand.h"
#include "views/document/commands/SetParamCommand.h"
#include "views/document/commands/SetSettingsCommand.h"
#include "views/document/commands/StructureCommand.h"

namespace ffn::views {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

const ParamSpec* findSpec(const NodeKind& kind, const std::string& name) {
  auto it = std::find_if(kind.params.begin(), kind.params.end(), [&](const ParamSpec& s) { return s.name == name; });
  return it == kind.params.end() ? nullptr : &*it;
}

// Puts `placed` (sorted by index) into `items` at their indices.
template <typename T>
std::vector<T> mergeAt(const std::vector<T>& items, const std::vector<Placed<T>>& placed) {
  std::vector<T> merged;
  merged.reserve(items.size() + placed.size());
  auto next = placed.begin();
  auto old = items.begin();
  while (next != placed.end() || old != items.end()) {
    if (next != placed.end() && (next->index <= static_cast<int>(merged.size()) || old == items.end()))
      merged.push_back((next++)->item);
    else
      merged.push_back(*old++);
  }
  return merged;
}

template <typename T>
bool appendsOnly(const std::vector<T>& items, const std::vector<Placed<T>>& placed) {
  for (std::size_t i = 0; i < placed.size(); ++i)
    if (placed[i].index != static_cast<int>(items.size() + i)) return false;
  return true;
}

}  // namespace

NetworkDocument::NetworkDocument(QObject* parent) : QObject(parent), m_undoStack(new QUndoStack(this)) {
  connect(m_undoStack, &QUndoStack::cleanChanged, this, [this] { Q_EMIT modifiedChanged(isModified()); });
  m_check = checkGraph(graph());
}

const NodeCheck* NetworkDocument::nodeCheck(const NodeId& id) const {
  auto it = m_check.nodes.find(id);
  return it == m_check.nodes.end() ? nullptr : &it->second;
}

QString NetworkDocument::displayName() const {
  if (!m_filePath.isEmpty()) return QFileInfo(m_filePath).fileName();
  if (!m_project.name.empty()) return qs(m_project.name);
  return tr("Untitled");
}

bool NetworkDocument::isModified() const { return m_forcedModified || !m_undoStack->isClean(); }

void NetworkDocument::reset(Project project, const QString& filePath) {
  m_undoStack->clear();
  m_project = std::move(project);
  m_forcedModified = false;
  m_check = checkGraph(graph());
  setFilePath(filePath);
  Q_EMIT projectReset();
  Q_EMIT checkUpdated();
  Q_EMIT settingsChanged();
  Q_EMIT runsChanged();
  Q_EMIT modifiedChanged(false);
}

void NetworkDocument::markSaved(const QString& filePath) {
  m_undoStack->setClean();
  m_forcedModified = false;
  setFilePath(filePath);
  Q_EMIT modifiedChanged(false);
}

void NetworkDocument::markModified() {
  m_forcedModified = true;
  Q_EMIT modifiedChanged(true);
}

void NetworkDocument::setFilePath(const QString& path) {
  if (path == m_filePath) return;
  m_filePath = path;
  Q_EMIT filePathChanged(path);
}

Status NetworkDocument::canConnect(const Edge& edge) const {
  const Graph& g = graph();
  const Node* from = g.node(edge.from);
  const Node* to = g.node(edge.to);
  if (!from || !to) return fail("there is no node '", from ? edge.to : edge.from, "'");
  const NodeKindRegistry& kinds = NodeKindRegistry::builtin();
  const NodeKind* fromKind = kinds.find(from->kind);
  const NodeKind* toKind = kinds.find(to->kind);
  if (!fromKind || !toKind) return fail("unknown node kind '", fromKind ? to->kind : from->kind, "'");
  if (fromKind->role == NodeRole::Output)
    return fail("'", from->label, "' is where the network ends: it has no output");
  if (toKind->inputPorts == 0) return fail("'", to->label, "' is where samples enter: it takes no input");
  if (edge.toPort < 0 || edge.toPort >= toKind->inputPorts)
    return fail("'", to->label, "' has no input ", std::to_string(edge.toPort + 1));
  if (edge.from == edge.to) return fail("'", to->label, "' cannot feed itself");
  if (auto existing = g.inputEdge(edge.to, edge.toPort))
    return fail("the input of '", to->label, "' is already fed by '", g.node(existing->from)->label,
                "'; delete that connection first");
  if (g.wouldCreateCycle(edge))
    return fail("'", from->label, "' to '", to->label, "' would close a loop; a feed-forward network has none");

  // The shape rule of the target's kind, run on the shapes it would receive: the same rule checkGraph applies,
  // but on one node, so the canvas can ask it for every port while an edge is dragged.
  const NodeCheck* source = nodeCheck(edge.from);
  if (!source || source->outputShape.empty()) return {};  // the source is unfinished: nothing to compare yet
  auto params = completeParams(toKind->params, to->params, describeNode(*to));
  if (!params) return {};  // the target's own settings are wrong; the canvas already shows that
  std::vector<Shape> inputs(static_cast<std::size_t>(toKind->inputPorts));
  for (int port = 0; port < toKind->inputPorts; ++port) {
    const NodeCheck* feeding = source;
    if (port != edge.toPort) {
      auto other = g.inputEdge(edge.to, port);
      feeding = other ? nodeCheck(other->from) : nullptr;
    }
    if (!feeding || feeding->outputShape.empty()) return {};
    inputs[static_cast<std::size_t>(port)] = feeding->outputShape;
  }
  auto shape = toKind->inferShape(inputs, *params);
  if (!shape)
    return fail(describeNode(*to), " cannot take ", source->outputShape.toString(), " from '", from->label,
                "': ", shape.message());
  return {};
}

Result<NodeId> NetworkDocument::addNode(const std::string& kindName, Point position) {
  const NodeKind* kind = NodeKindRegistry::builtin().find(kindName);
  if (!kind) return fail("unknown node kind '", kindName, "'");
  Node node;
  node.id = graph().uniqueId(kindName);
  node.kind = kindName;
  node.label = node.id;
  node.params = defaultParams(kind->params);
  node.position = position;
  m_undoStack->push(StructureCommand::insertion(this, {node}, {}, tr("Add %1").arg(qs(kindName))));
  return node.id;
}

void NetworkDocument::removeItems(const std::vector<NodeId>& nodes, const std::vector<Edge>& edges) {
  if (nodes.empty() && edges.empty()) return;
  QString text;
  if (nodes.empty() && edges.size() == 1 && graph().node(edges.front().from) && graph().node(edges.front().to))
    text = tr("Disconnect %1 → %2")
               .arg(qs(graph().node(edges.front().from)->label), qs(graph().node(edges.front().to)->label));
  else if (nodes.size() == 1)
    text = tr("Delete %1").arg(qs(graph().node(nodes.front()) ? graph().node(nodes.front())->label : nodes.front()));
  else if (nodes.empty())
    text = edges.size() == 1 ? tr("Delete 1 connection") : tr("Delete %1 connections").arg(edges.size());
  else
    text = tr("Delete %1 nodes").arg(nodes.size());
  m_undoStack->push(StructureCommand::removal(this, nodes, edges, text));
}

Status NetworkDocument::connectNodes(const Edge& edge) {
  FFN_TRY(canConnect(edge));
  const QString text = tr("Connect %1 → %2").arg(qs(graph().node(edge.from)->label), qs(graph().node(edge.to)->label));
  m_undoStack->push(StructureCommand::insertion(this, {}, {edge}, text));
  return {};
}

void NetworkDocument::disconnectEdge(const Edge& edge) {
  if (std::find(graph().edges().begin(), graph().edges().end(), edge) != graph().edges().end()) removeItems({}, {edge});
}

void NetworkDocument::moveNodes(const std::vector<NodePosition>& positions, int dragSerial, const QString& text) {
  std::vector<MoveNodesCommand::Move> moves;
  moves.reserve(positions.size());
  for (const NodePosition& p : positions)
    if (const Node* node = graph().node(p.id); node && node->position != p.position)
      moves.push_back({p.id, node->position, p.position});
  if (moves.empty()) return;
  const QString label =
      text.isEmpty() ? (moves.size() == 1 ? tr("Move 1 node") : tr("Move %1 nodes").arg(moves.size())) : text;
  m_undoStack->push(new MoveNodesCommand(this, std::move(moves), dragSerial, label));
}

Status NetworkDocument::setParam(const NodeId& id, const std::string& name, const Json& value) {
  const Node* node = graph().node(id);
  if (!node) return fail("there is no node '", id, "'");
  const NodeKind* kind = NodeKindRegistry::builtin().find(node->kind);
  const ParamSpec* spec = kind ? findSpec(*kind, name) : nullptr;
  if (!spec) return fail(describeNode(*node), " has no setting '", name, "'");
  if (Status status = checkParam(*spec, value); !status) return fail(describeNode(*node), ": ", status.message());
  Json after = node->params.is_object() ? node->params : Json::object();
  after[name] = value;
  if (after == node->params) return {};
  const QString shown = qs(value.is_string() ? value.get<std::string>() : value.dump());
  const QString text = tr("Set %1 of %2 to %3").arg(qs(spec->label), qs(node->label), shown);
  m_undoStack->push(new SetParamCommand(this, id, name, node->params, std::move(after), text));
  return {};
}

Status NetworkDocument::renameNode(const NodeId& id, const std::string& label) {
  const Node* node = graph().node(id);
  if (!node) return fail("there is no node '", id, "'");
  const QString trimmed = qs(label).trimmed();
  if (trimmed.isEmpty()) return fail("a node needs a label");
  if (trimmed.toStdString() == node->label) return {};
  const QString text = tr("Rename %1 to %2").arg(qs(node->label), trimmed);
  m_undoStack->push(new RenameNodeCommand(this, id, node->label, trimmed.toStdString(), text));
  return {};
}

Graph NetworkDocument::fragment(const std::vector<NodeId>& ids) const {
  auto selected = [&](const NodeId& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); };
  Graph part;
  for (const Node& node : graph().nodes())
    if (selected(node.id)) (void)part.addNode(node);
  for (const Edge& edge : graph().edges())
    if (selected(edge.from) && selected(edge.to)) (void)part.connect(edge);
  return part;
}

std::vector<NodeId> NetworkDocument::pasteFragment(const Graph& fragment, Point offset, const QString& text) {
  // Fresh ids are drawn from a scratch copy, so that two pasted nodes of one kind do not get the same id.
  Graph scratch = graph();
  std::map<NodeId, NodeId> renamed;
  std::vector<Node> nodes;
  for (const Node& original : fragment.nodes()) {
    if (!NodeKindRegistry::builtin().find(original.kind)) continue;
    Node node = original;
    node.id = scratch.uniqueId(original.kind);
    if (original.label == original.id) node.label = node.id;  // a default label follows the id
    node.position = {original.position.x + offset.x, original.position.y + offset.y};
    renamed[original.id] = node.id;
    (void)scratch.addNode(node);
    nodes.push_back(std::move(node));
  }
  std::vector<Edge> edges;
  for (const Edge& edge : fragment.edges())
    if (renamed.count(edge.from) && renamed.count(edge.to))
      edges.push_back({renamed[edge.from], renamed[edge.to], edge.toPort});
  if (nodes.empty()) return {};
  m_undoStack->push(StructureCommand::insertion(this, nodes, edges, text));
  std::vector<NodeId> ids;
  for (const Node& node : nodes) ids.push_back(node.id);
  return ids;
}

Status NetworkDocument::setSetting(const std::string& path, const Json& value, const QString& text) {
  const RunSettings before = runSettings();
  auto after = before.with(path, value);
  if (!after) return after.error();
  if (*after == before) return {};
  QString shown = text;
  if (shown.isEmpty()) {
    const QString name = qs(path.substr(path.find_last_of('/') + 1));
    shown = value.is_object() ? tr("Change %1").arg(name)
                              : tr("Set %1 to %2").arg(name, qs(value.is_string() ? value.get<std::string>() : value.dump()));
  }
  m_undoStack->push(new SetSettingsCommand(this, before, std::move(*after), qs(path), shown));
  return {};
}

Status NetworkDocument::setRunSettings(const RunSettings& settings, const QString& text) {
  auto checked = RunSettings::fromJson(settings.json());
  if (!checked) return checked.error();
  const RunSettings before = runSettings();
  if (*checked == before) return {};
  m_undoStack->push(new SetSettingsCommand(this, before, std::move(*checked), QString(), text));
  return {};
}

void NetworkDocument::appendRun(const Json& run) {
  m_project.runs.push_back(run);
  markModified();
  Q_EMIT runsChanged();
}

const Json* NetworkDocument::run(const std::string& id) const {
  for (const Json& run : m_project.runs)
    if (run.is_object() && run.value("id", std::string()) == id) return &run;
  return nullptr;
}

Status NetworkDocument::removeRun(const std::string& id) {
  for (std::size_t i = 0; i < m_project.runs.size(); ++i) {
    const Json& run = m_project.runs[i];
    if (!run.is_object() || run.value("id", std::string()) != id) continue;
    const QString text = tr("Delete run %1").arg(qs(run.value("label", id)));
    m_undoStack->push(new RemoveRunCommand(this, static_cast<int>(i), run, text));
    return {};
  }
  return fail("there is no run '", id, "'");
}

void NetworkDocument::setRunSettings(EditKey, const RunSettings& settings) {
  settings.applyTo(m_project);
  Q_EMIT settingsChanged();
}

void NetworkDocument::insertRun(EditKey, int index, const Json& run) {
  const auto at = std::clamp<std::ptrdiff_t>(index, 0, static_cast<std::ptrdiff_t>(m_project.runs.size()));
  m_project.runs.insert(m_project.runs.begin() + at, run);
  Q_EMIT runsChanged();
}

void NetworkDocument::eraseRun(EditKey, const std::string& id) {
  Json& runs = m_project.runs;
  for (auto it = runs.begin(); it != runs.end(); ++it)
    if (it->is_object() && it->value("id", std::string()) == id) {
      runs.erase(it);
      Q_EMIT runsChanged();
      return;
    }
}

void NetworkDocument::insertItems(EditKey, const std::vector<Placed<Node>>& nodes,
                                  const std::vector<Placed<Edge>>& edges) {
  Graph& g = m_project.graph;
  if (appendsOnly(g.nodes(), nodes) && appendsOnly(g.edges(), edges)) {
    for (const auto& node : nodes) (void)g.addNode(node.item);
    for (const auto& edge : edges) (void)g.connect(edge.item);
  } else {
    // Graph only appends, so putting items back in the middle means building the lists again.
    Graph rebuilt;
    for (const Node& node : mergeAt(g.nodes(), nodes)) (void)rebuilt.addNode(node);
    for (const Edge& edge : mergeAt(g.edges(), edges)) (void)rebuilt.connect(edge);
    g = std::move(rebuilt);
  }
  for (const auto& node : nodes) Q_EMIT nodeAdded(node.item.id);
  for (const auto& edge : edges) Q_EMIT edgeAdded(edge.item);
  recheck();
}

void NetworkDocument::eraseItems(EditKey, const std::vector<NodeId>& nodes, const std::vector<Edge>& edges) {
  Graph& g = m_project.graph;
  for (const Edge& edge : edges)
    if (g.disconnect(edge)) Q_EMIT edgeRemoved(edge);
  for (const NodeId& id : nodes) {
    for (const Edge& edge : g.removeNode(id)) Q_EMIT edgeRemoved(edge);  // none, when the command is complete
    Q_EMIT nodeRemoved(id);
  }
  recheck();
}

void NetworkDocument::setPositions(EditKey, const std::vector<NodePosition>& positions) {
  for (const NodePosition& p : positions)
    if (Node* node = m_project.graph.node(p.id)) {
      node->position = p.position;
      Q_EMIT nodeMoved(p.id);
    }
}

void NetworkDocument::setNodeParams(EditKey, const NodeId& id, const Json& params) {
  if (Node* node = m_project.graph.node(id)) {
    node->params = params;
    Q_EMIT nodeChanged(id);
    recheck();
  }
}

void NetworkDocument::setNodeLabel(EditKey, const NodeId& id, const std::string& label) {
  if (Node* node = m_project.graph.node(id)) {
    node->label = label;
    Q_EMIT nodeChanged(id);
    recheck();  // messages name nodes by label
  }
}

void NetworkDocument::recheck() {
  m_check = checkGraph(graph());
  Q_EMIT checkUpdated();
}

}  // namespace ffn::views
