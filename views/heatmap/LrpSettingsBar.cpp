#include "views/heatmap/LrpSettingsBar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <algorithm>

#include "core/lrp/Composite.h"
#include "core/lrp/LrpRuleRegistry.h"
#include "views/document/NetworkDocument.h"

namespace ffn::views {
namespace {

// A JSON pointer token (RFC 6901): node ids may hold '/' or '~'.
std::string pointerToken(const std::string& text) {
  std::string token;
  for (char c : text) {
    if (c == '~')
      token += "~0";
    else if (c == '/')
      token += "~1";
    else
      token += c;
  }
  return token;
}

// The rule name of an override ("epsilon" or {"rule": "gamma", ...}).
QString overrideName(const Json& spec) {
  if (spec.is_string()) return QString::fromStdString(spec.get<std::string>());
  if (spec.is_object() && spec.contains("rule") && spec["rule"].is_string())
    return QString::fromStdString(spec["rule"].get<std::string>());
  return {};
}

}  // namespace

LrpSettingsBar::LrpSettingsBar(NetworkDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_composite(new QComboBox),
      m_nodeLabel(new QLabel),
      m_nodeRule(new QComboBox) {
  m_composite->setObjectName(QStringLiteral("composite"));
  for (const CompositeInfo& preset : Composite::presets()) {
    m_composite->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.name));
    m_composite->setItemData(m_composite->count() - 1, QString::fromStdString(preset.description), Qt::ToolTipRole);
  }
  m_composite->setToolTip(tr("The LRP composite: which relevance rule each layer uses, by its place in the network"));
  m_nodeRule->setObjectName(QStringLiteral("nodeRule"));
  // One word: "the composite's rule" was cut to "the composit..." in the narrow column of presenter mode.
  m_nodeRule->addItem(tr("composite"), QString());
  m_nodeRule->setItemData(0, tr("The rule the composite gives this layer"), Qt::ToolTipRole);
  for (const LrpRuleInfo& rule : lrpRules()) {
    if (rule.target != RuleTarget::Linear) continue;
    m_nodeRule->addItem(QString::fromStdString(rule.title), QString::fromStdString(rule.name));
    m_nodeRule->setItemData(m_nodeRule->count() - 1, QString::fromStdString(rule.description), Qt::ToolTipRole);
  }
  m_nodeRule->setToolTip(tr("Click a layer on the canvas, then give it a rule of its own (stored in the project)"));
  // Narrower than their longest entry when the panel is (the list opens as wide as it needs): the sample's
  // column must fit a dock beside the sample list, in presenter mode's large font too.
  for (QComboBox* box : {m_composite, m_nodeRule}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(10);
  }
  m_nodeLabel->setForegroundRole(QPalette::PlaceholderText);
  m_nodeLabel->setWordWrap(true);  // a long node label must not widen the panel
  connect(m_composite, &QComboBox::activated, this, &LrpSettingsBar::chooseComposite);
  connect(m_nodeRule, &QComboBox::activated, this, &LrpSettingsBar::chooseNodeRule);
  connect(document, &NetworkDocument::settingsChanged, this, &LrpSettingsBar::syncFromProject);
  connect(document, &NetworkDocument::projectReset, this, [this] { setNode({}); });

  auto* layout = new QGridLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Heatmap (LRP)")), 0, 0);
  layout->addWidget(m_composite, 0, 1);
  layout->addWidget(m_nodeLabel, 1, 0);
  layout->addWidget(m_nodeRule, 1, 1);
  layout->setColumnStretch(1, 1);
  setNode({});
}

bool LrpSettingsBar::takesRule(const std::string& kind) {
  return kind == "Dense" || kind == "LowRank" || kind == "BlockDiagonal" || kind == "Conv2d";
}

void LrpSettingsBar::setNode(const NodeId& node) {
  const Node* found = node.empty() ? nullptr : m_document->project().graph.node(node);
  m_node = found && takesRule(found->kind) ? node : NodeId();
  syncFromProject();
}

void LrpSettingsBar::syncFromProject() {
  const LrpSettings& lrp = m_document->project().lrp;
  m_composite->setCurrentIndex(std::max(0, m_composite->findData(QString::fromStdString(lrp.composite))));
  const Node* node = m_node.empty() ? nullptr : m_document->project().graph.node(m_node);
  if (!node) m_node.clear();
  m_nodeRule->setEnabled(node != nullptr);
  if (!node) {
    m_nodeLabel->setText(tr("Click a layer:"));
    m_nodeRule->setCurrentIndex(0);
    return;
  }
  m_nodeLabel->setText(tr("Rule of %1").arg(QString::fromStdString(node->label)));
  const auto it = lrp.overrides.find(m_node);
  const int index = it == lrp.overrides.end() ? 0 : m_nodeRule->findData(overrideName(*it));
  m_nodeRule->setCurrentIndex(std::max(0, index));
}

void LrpSettingsBar::chooseComposite(int index) {
  const std::string name = m_composite->itemData(index).toString().toStdString();
  if (name == m_document->project().lrp.composite) return;
  const Status status = m_document->setSetting("/lrp/composite", name,
                                               tr("Set the LRP composite to %1").arg(QString::fromStdString(name)));
  if (!status) Q_EMIT statusMessage(QString::fromStdString(status.message()));
  syncFromProject();
}

void LrpSettingsBar::chooseNodeRule(int index) {
  if (m_node.empty()) return;
  const std::string rule = m_nodeRule->itemData(index).toString().toStdString();
  const QString label = QString::fromStdString(m_document->project().graph.node(m_node)->label);
  Status status;
  if (rule.empty()) {
    Json overrides = m_document->project().lrp.overrides;
    if (!overrides.contains(m_node)) return;
    overrides.erase(m_node);
    status = m_document->setSetting("/lrp/overrides", overrides, tr("%1 takes the composite's LRP rule").arg(label));
  } else {
    status = m_document->setSetting("/lrp/overrides/" + pointerToken(m_node), rule,
                                    tr("Give %1 the LRP rule %2").arg(label, QString::fromStdString(rule)));
  }
  if (!status) Q_EMIT statusMessage(QString::fromStdString(status.message()));
  syncFromProject();
}

}  // namespace ffn::views
