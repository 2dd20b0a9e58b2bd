#include "views/inspector/InspectorWidget.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "views/document/NetworkDocument.h"
#include "views/inspector/ParamEditor.h"
#include "views/style/KindStyle.h"

namespace ffn::views {
namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

QLabel* wrappedLabel(QWidget* parent = nullptr) {
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

// Secondary text: smaller and in the palette's placeholder colour, so it reads as a caption in any theme.
QLabel* captionLabel(const QString& text) {
  auto* label = wrappedLabel();
  label->setText(text);
  QFont font = label->font();
  font.setPointSizeF(font.pointSizeF() * 0.9);
  label->setFont(font);
  label->setForegroundRole(QPalette::PlaceholderText);
  return label;
}

void setErrorText(QLabel* label, const QString& text) {
  label->setText(text.isEmpty() ? QString() : QStringLiteral("⚠ ") + text);
  label->setStyleSheet(QStringLiteral("color: %1").arg(errorColor().name()));
  label->setVisible(!text.isEmpty());
}

}  // namespace

InspectorWidget::InspectorWidget(NetworkDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_pages(new QStackedWidget) {
  m_pages->addWidget(createSummaryPage());
  m_pages->addWidget(createNodePage());
  auto* scroll = new QScrollArea;
  scroll->setWidget(m_pages);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll);

  connect(document, &NetworkDocument::checkUpdated, this, &InspectorWidget::refresh);
  connect(document, &NetworkDocument::nodeChanged, this, [this](const NodeId& id) {
    if (id == m_node) refreshNode();
  });
  connect(document, &NetworkDocument::projectReset, this, [this] { showSelection({}); });
  showSelection({});
}

QWidget* InspectorWidget::createNodePage() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  auto* header = new QHBoxLayout;
  m_icon = new QLabel;
  m_title = new QLabel;
  QFont titleFont = m_title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
  titleFont.setBold(true);
  m_title->setFont(titleFont);
  header->addWidget(m_icon);
  header->addWidget(m_title, 1);
  layout->addLayout(header);
  m_summary = captionLabel(QString());
  layout->addWidget(m_summary);

  m_form = new QFormLayout;
  m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
  m_label = new QLineEdit;
  m_label->setObjectName(QStringLiteral("label"));
  m_label->setToolTip(tr("The name shown on the canvas and in messages (the node's id stays the same)"));
  connect(m_label, &QLineEdit::editingFinished, this, [this] {
    if (m_node.empty() || !m_document->graph().contains(m_node)) return;
    const Status status = m_document->renameNode(m_node, m_label->text().toStdString());
    showEditError(status ? QString() : qs(status.message()));
    m_label->setText(qs(m_document->graph().node(m_node)->label));  // also clears isModified()
  });
  m_form->addRow(tr("&Label"), m_label);
  layout->addLayout(m_form);

  auto* facts = new QFormLayout;
  m_shape = wrappedLabel();
  m_weights = wrappedLabel();
  m_flops = wrappedLabel();
  facts->addRow(tr("Output shape"), m_shape);
  facts->addRow(tr("Weights"), m_weights);
  facts->addRow(tr("Cost"), m_flops);
  layout->addSpacing(6);
  layout->addLayout(facts);
  m_problem = wrappedLabel();
  m_editError = wrappedLabel();
  m_editError->setObjectName(QStringLiteral("editError"));
  layout->addWidget(m_problem);
  layout->addWidget(m_editError);
  layout->addStretch(1);
  return page;
}

QWidget* InspectorWidget::createSummaryPage() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  m_networkTitle = new QLabel;
  QFont titleFont = m_networkTitle->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
  titleFont.setBold(true);
  m_networkTitle->setFont(titleFont);
  m_networkTitle->setWordWrap(true);
  m_networkFacts = wrappedLabel();
  m_networkStatus = wrappedLabel();
  layout->addWidget(m_networkTitle);
  layout->addWidget(m_networkFacts);
  layout->addWidget(m_networkStatus);
  layout->addWidget(
      captionLabel(tr("Select a node to edit its settings. Drag layers from the palette onto the canvas, "
                      "and drag from a node's bottom port to another node's top port to connect them.")));
  layout->addStretch(1);
  return page;
}

void InspectorWidget::showSelection(const std::vector<NodeId>& ids) {
  m_selection = ids;
  const NodeId node = ids.size() == 1 ? ids.front() : NodeId();
  if (node != m_node) showEditError(QString());
  m_node = node;
  refresh();
}

ParamEditor* InspectorWidget::editorFor(const std::string& param) const {
  for (ParamEditor* editor : m_editors)
    if (editor->spec().name == param) return editor;
  return nullptr;
}

QString InspectorWidget::lastError() const { return m_editError->isVisible() ? m_editError->text() : QString(); }

void InspectorWidget::focusLabel() {
  if (m_node.empty()) return;
  m_label->setFocus();
  m_label->selectAll();
}

void InspectorWidget::refresh() {
  if (!m_node.empty() && !m_document->graph().contains(m_node)) m_node.clear();  // deleted under us
  if (m_node.empty()) {
    m_pages->setCurrentIndex(0);
    refreshSummary();
  } else {
    m_pages->setCurrentIndex(1);
    refreshNode();
  }
}

void InspectorWidget::buildEditors() {
  m_editors.clear();
  while (m_form->rowCount() > 1) m_form->removeRow(1);  // every row but the label's; deletes the widgets
  const Node* node = m_document->graph().node(m_node);
  const NodeKind* kind = NodeKindRegistry::builtin().find(node->kind);
  m_builtKind = node->kind;
  if (!kind) return;
  for (const ParamSpec& spec : kind->params) {
    auto* editor = new ParamEditor(spec);
    const QString help = qs(spec.help);
    auto* label = new QLabel(qs(spec.label));
    label->setToolTip(help);
    label->setBuddy(editor->editor());
    QLabel* caption = captionLabel(help);
    m_form->addRow(label, editor);
    m_form->addRow(QString(), caption);
    // Shown now rather than by the layout's queued call: the scroll area sizes the page before that call, so the
    // first frames drew every editor squeezed into the old page's height.
    for (QWidget* widget : {static_cast<QWidget*>(label), static_cast<QWidget*>(editor), static_cast<QWidget*>(caption)})
      widget->show();
    const std::string name = spec.name;
    connect(editor, &ParamEditor::edited, this, [this, name](const Json& value) {
      const Status status = m_document->setParam(m_node, name, value);
      showEditError(status ? QString() : qs(status.message()));
      if (!status) refreshNode();  // put the editor back to the value the node has
    });
    m_editors.push_back(editor);
  }
}

void InspectorWidget::refreshNode() {
  const Node* node = m_document->graph().node(m_node);
  if (!node) return;
  if (node->kind != m_builtKind || m_editors.empty()) buildEditors();
  const NodeKind* kind = NodeKindRegistry::builtin().find(node->kind);
  m_icon->setPixmap(kindIcon(qs(node->kind)).pixmap(32, 32));
  m_title->setText(qs(node->kind));
  m_summary->setText(kind ? qs(kind->summary) : QString());
  if (!m_label->isModified()) m_label->setText(qs(node->label));  // never under the fingers of someone typing

  const NodeCheck* check = m_document->nodeCheck(m_node);
  for (ParamEditor* editor : m_editors) {
    const std::string& name = editor->spec().name;
    const Json& params = node->params;
    editor->setValue(params.is_object() && params.contains(name) ? params.at(name) : editor->spec().defaultValue);
  }
  const QLocale locale;
  const bool known = check && !check->outputShape.empty();
  m_shape->setText(known ? qs(check->outputShape.toString()) : tr("unknown"));
  m_weights->setText(known ? locale.toString(qlonglong(check->weightCount)) : QStringLiteral("–"));
  m_flops->setText(known ? tr("%1 multiply-adds per sample").arg(locale.toString(qlonglong(check->flopsPerSample)))
                         : QStringLiteral("–"));
  setErrorText(m_problem, check ? qs(check->error) : QString());
}

void InspectorWidget::refreshSummary() {
  const Project& project = m_document->project();
  const GraphCheck& check = m_document->check();
  m_networkTitle->setText(project.name.empty() ? m_document->displayName() : qs(project.name));
  qlonglong weights = 0;
  for (const auto& [id, node] : check.nodes) weights += node.weightCount;
  const QLocale locale;
  QString facts =
      (project.graph.nodes().size() == 1 ? tr("1 node") : tr("%1 nodes").arg(project.graph.nodes().size())) +
      QStringLiteral(", ") +
      (project.graph.edges().size() == 1 ? tr("1 connection")
                                         : tr("%1 connections").arg(project.graph.edges().size())) +
      QStringLiteral("<br>") + tr("%1 weights in all").arg(locale.toString(weights));
  if (m_selection.size() > 1) facts.prepend(tr("<b>%1 nodes selected</b><br>").arg(m_selection.size()));
  const TrainingSettings& training = project.training;
  if (project.dataset.is_object() && project.dataset.contains("kind"))
    facts += QStringLiteral("<br>") + tr("Data: %1").arg(qs(project.dataset.value("kind", std::string())));
  facts += QStringLiteral("<br>") + tr("Training: %1, %2 (learning rate %3), %4 epochs, batches of %5")
                                        .arg(qs(training.rule), qs(training.optimizer.kind))
                                        .arg(locale.toString(training.optimizer.learningRate, 'g', 3))
                                        .arg(training.epochs)
                                        .arg(training.batchSize);
  if (!project.description.empty()) facts += QStringLiteral("<br><br>") + qs(project.description).toHtmlEscaped();
  m_networkFacts->setText(facts);
  if (check.ok())
    m_networkStatus->setText(tr("✓ The network is complete and its shapes fit."));
  else
    m_networkStatus->setText(QStringLiteral("<span style='color:%1'>⚠ %2</span>")
                                 .arg(errorColor().name(), qs(check.firstError()).toHtmlEscaped()));
}

void InspectorWidget::showEditError(const QString& message) { setErrorText(m_editError, message); }

}  // namespace ffn::views
