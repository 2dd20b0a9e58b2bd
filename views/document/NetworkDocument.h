#pragma once
// NetworkDocument: the project being edited and its undo history. It is the only thing that changes the graph:
// views ask it for a change (addNode, connectNodes, ...), it pushes one QUndoCommand, and the command calls the
// primitive edits at the bottom of this class, which emit the signals the views redraw from. So undo, redo and
// the first "do" take the same path, and a view never holds state the document does not have.
// After every change that can affect validation the graph is checked again (checkGraph), so every view reads the
// same per-node output shapes, weight counts and messages.
#include <QObject>
#include <QString>
#include <vector>

#include "core/graph/GraphValidator.h"
#include "core/project/Project.h"
#include "views/document/RunSettings.h"

class QUndoStack;

namespace ffn::views {

// Only undo commands can make this key, so only they can call the primitive edits (the passkey idiom).
class EditKey {
  friend class DocumentCommand;
  EditKey() = default;
};

// An item with its index in the graph's list, so that undoing a removal puts it back exactly where it was (the
// saved file is then byte for byte the one before).
template <typename T>
struct Placed {
  int index = 0;
  T item;
};

struct NodePosition {
  NodeId id;
  Point position;
};

class NetworkDocument : public QObject {
  Q_OBJECT

 public:
  explicit NetworkDocument(QObject* parent = nullptr);

  const Project& project() const { return m_project; }
  const Graph& graph() const { return m_project.graph; }
  const GraphCheck& check() const { return m_check; }
  // The check of one node; nullptr for an unknown id.
  const NodeCheck* nodeCheck(const NodeId& id) const;
  QUndoStack* undoStack() const { return m_undoStack; }

  QString filePath() const { return m_filePath; }
  // The file name, or the project's name for an unsaved project ("Untitled" when it has none).
  QString displayName() const;
  bool isModified() const;

  // Replaces the whole project (new, open, recover): not undoable, so the history starts again.
  void reset(Project project, const QString& filePath);
  // After a save: the current state becomes the clean one.
  void markSaved(const QString& filePath);
  // A recovered project differs from its file although its history is empty.
  void markModified();

  // Why `edge` cannot be added, or success: unknown node or port, a node feeding itself, an occupied input, a
  // cycle, or a shape the target cannot take (its kind's shape rule run on the source's output shape).
  Status canConnect(const Edge& edge) const;

  // User actions. Each pushes one undo command, or changes nothing and says why.
  Result<NodeId> addNode(const std::string& kind, Point position);
  void removeItems(const std::vector<NodeId>& nodes, const std::vector<Edge>& edges = {});
  Status connectNodes(const Edge& edge);
  void disconnectEdge(const Edge& edge);
  // Nodes whose position changes; moves with the same non-zero `dragSerial` merge into one undo step.
  void moveNodes(const std::vector<NodePosition>& positions, int dragSerial = 0, const QString& text = {});
  Status setParam(const NodeId& id, const std::string& name, const Json& value);
  Status renameNode(const NodeId& id, const std::string& label);
  // The nodes `ids` with the edges among them (for copy and duplicate).
  Graph fragment(const std::vector<NodeId>& ids) const;
  // Adds a copy of `fragment` with fresh ids, moved by `offset`; returns the new ids.
  std::vector<NodeId> pasteFragment(const Graph& fragment, Point offset, const QString& text);

  // How the project trains (everything but the graph and the runs).
  RunSettings runSettings() const { return RunSettings::of(m_project); }
  // One settings edit: `path` is a JSON pointer into the settings ("/training/optimizer/lr", "/dataset", "/seed").
  // Refused with a reason when the value is wrong. Edits of the same path in quick succession merge into one undo
  // step (a slider being dragged).
  Status setSetting(const std::string& path, const Json& value, const QString& text = {});
  // Several settings at once (restoring a kept run's settings): one undo step.
  Status setRunSettings(const RunSettings& settings, const QString& text);

  // Runs kept with the project. Recording a run is not an edit to undo (it happened); deleting one is.
  void appendRun(const Json& run);
  Status removeRun(const std::string& id);
  // The kept run with this id, or nullptr.
  const Json* run(const std::string& id) const;

  // Primitive edits, for undo commands only. Inserting puts each item at its index (appending is the fast path).
  void insertItems(EditKey, const std::vector<Placed<Node>>& nodes, const std::vector<Placed<Edge>>& edges);
  void eraseItems(EditKey, const std::vector<NodeId>& nodes, const std::vector<Edge>& edges);
  void setPositions(EditKey, const std::vector<NodePosition>& positions);
  void setNodeParams(EditKey, const NodeId& id, const Json& params);
  void setNodeLabel(EditKey, const NodeId& id, const std::string& label);
  void setRunSettings(EditKey, const RunSettings& settings);
  void insertRun(EditKey, int index, const Json& run);
  void eraseRun(EditKey, const std::string& id);

 Q_SIGNALS:
  void projectReset();
  void nodeAdded(const ffn::NodeId& id);
  void nodeRemoved(const ffn::NodeId& id);
  void nodeChanged(const ffn::NodeId& id);  // label or settings
  void nodeMoved(const ffn::NodeId& id);
  void edgeAdded(const ffn::Edge& edge);
  void edgeRemoved(const ffn::Edge& edge);
  void checkUpdated();  // check() was recomputed
  void modifiedChanged(bool modified);
  void filePathChanged(const QString& path);
  void settingsChanged();  // runSettings() changed (also after reset)
  void runsChanged();      // a run was kept or deleted (also after reset)

 private:
  void recheck();
  void setFilePath(const QString& path);

  Project m_project;
  GraphCheck m_check;
  QString m_filePath;
  bool m_forcedModified = false;
  QUndoStack* m_undoStack;
};

}  // namespace ffn::views
