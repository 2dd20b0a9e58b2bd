#pragma once
// InspectorWidget: the settings of the selected node, built from its kind's ParamSpecs (one ParamEditor each, the
// help text as a caption and tooltip), its label, and what the check says about it: output shape, weights, cost,
// or the problem. With no node (or several) selected it summarises the whole network instead.
// Every edit goes to the document, which refuses invalid values with a message shown here.
#include <QWidget>
#include <vector>

#include "core/graph/Graph.h"

class QFormLayout;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace ffn::views {

class NetworkDocument;
class ParamEditor;

class InspectorWidget : public QWidget {
  Q_OBJECT

 public:
  explicit InspectorWidget(NetworkDocument* document, QWidget* parent = nullptr);

  // The selection to show; the inspector edits a node only when exactly one is selected.
  void showSelection(const std::vector<NodeId>& ids);
  NodeId currentNode() const { return m_node; }
  ParamEditor* editorFor(const std::string& param) const;
  QLineEdit* labelEdit() const { return m_label; }
  // The last refused edit (empty when the last edit was accepted).
  QString lastError() const;
  void focusLabel();

 private:
  QWidget* createNodePage();
  QWidget* createSummaryPage();
  void buildEditors();
  void refresh();
  void refreshNode();
  void refreshSummary();
  void showEditError(const QString& message);

  NetworkDocument* m_document;
  NodeId m_node;
  std::string m_builtKind;  // the kind the editors were built for
  std::vector<NodeId> m_selection;
  QStackedWidget* m_pages;
  // Node page.
  QLabel* m_icon;
  QLabel* m_title;
  QLabel* m_summary;
  QLineEdit* m_label;
  QFormLayout* m_form;
  std::vector<ParamEditor*> m_editors;
  QLabel* m_shape;
  QLabel* m_weights;
  QLabel* m_flops;
  QLabel* m_problem;
  QLabel* m_editError;
  // Summary page.
  QLabel* m_networkTitle;
  QLabel* m_networkFacts;
  QLabel* m_networkStatus;
};

}  // namespace ffn::views
