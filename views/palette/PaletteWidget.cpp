#include "views/palette/PaletteWidget.h"

#include <QAction>
#include <QKeyEvent>
#include <QLineEdit>
#include <QVBoxLayout>

#include "core/graph/NodeKind.h"
#include "views/palette/KindTree.h"
#include "views/style/KindStyle.h"

namespace ffn::views {

PaletteWidget::PaletteWidget(QWidget* parent) : QWidget(parent), m_search(new QLineEdit), m_tree(new KindTree) {
  m_search->setPlaceholderText(tr("Search layers…"));
  m_search->setClearButtonEnabled(true);
  m_search->setToolTip(tr("Filter the layers by name, category or description"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_search);
  layout->addWidget(m_tree, 1);
  populate();

  connect(m_search, &QLineEdit::textChanged, this, &PaletteWidget::setFilter);
  // Enter in the search field adds the first match: type "relu", press Enter.
  connect(m_search, &QLineEdit::returnPressed, this, [this] {
    const QStringList kinds = visibleKinds();
    if (!kinds.isEmpty()) Q_EMIT kindActivated(kinds.first());
  });
  auto activate = [this](QTreeWidgetItem* item) {
    const QString kind = item ? item->data(0, KindTree::kKindRole).toString() : QString();
    if (!kind.isEmpty()) Q_EMIT kindActivated(kind);
  };
  connect(m_tree, &QTreeWidget::itemActivated, this, activate);
  connect(m_tree, &KindTree::dragStarted, this, [this](const QString& kind) {
    Q_EMIT statusMessage(tr("Drop %1 on the canvas to add it.").arg(kind));
  });
}

void PaletteWidget::populate() {
  QMap<QString, QTreeWidgetItem*> categories;
  QFont categoryFont = m_tree->font();
  categoryFont.setBold(true);
  for (const NodeKind& kind : NodeKindRegistry::builtin().kinds()) {
    const QString category = QString::fromStdString(kind.category);
    QTreeWidgetItem*& group = categories[category];
    if (!group) {  // categories appear in the registry's order
      group = new QTreeWidgetItem(m_tree, {category});
      group->setFlags(Qt::ItemIsEnabled);
      group->setFont(0, categoryFont);
      group->setForeground(0, categoryColor(category));
      group->setSizeHint(0, QSize(0, 24));
    }
    const QString name = QString::fromStdString(kind.name);
    auto* item = new QTreeWidgetItem(group, {name});
    item->setIcon(0, kindIcon(name));
    item->setSizeHint(0, QSize(0, 26));
    item->setData(0, KindTree::kKindRole, name);
    item->setToolTip(0, QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
                            .arg(name, QString::fromStdString(kind.summary).toHtmlEscaped(),
                                 tr("Drag onto the canvas, or double-click to add.")));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
  }
  m_tree->expandAll();
}

QTreeWidgetItem* PaletteWidget::itemForKind(const QString& kind) const {
  for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
    QTreeWidgetItem* group = m_tree->topLevelItem(g);
    for (int i = 0; i < group->childCount(); ++i)
      if (group->child(i)->data(0, KindTree::kKindRole).toString() == kind) return group->child(i);
  }
  return nullptr;
}

QStringList PaletteWidget::visibleKinds() const {
  QStringList kinds;
  for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
    QTreeWidgetItem* group = m_tree->topLevelItem(g);
    for (int i = 0; i < group->childCount(); ++i)
      if (!group->child(i)->isHidden()) kinds << group->child(i)->data(0, KindTree::kKindRole).toString();
  }
  return kinds;
}

void PaletteWidget::setFilter(const QString& text) {
  if (m_search->text() != text) m_search->setText(text);
  const QString needle = text.trimmed();
  for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
    QTreeWidgetItem* group = m_tree->topLevelItem(g);
    const bool groupMatches = group->text(0).contains(needle, Qt::CaseInsensitive);
    int shown = 0;
    for (int i = 0; i < group->childCount(); ++i) {
      QTreeWidgetItem* item = group->child(i);
      const NodeKind* kind = NodeKindRegistry::builtin().find(item->text(0).toStdString());
      const bool match = needle.isEmpty() || groupMatches || item->text(0).contains(needle, Qt::CaseInsensitive) ||
                         (kind && QString::fromStdString(kind->summary).contains(needle, Qt::CaseInsensitive));
      item->setHidden(!match);
      shown += match ? 1 : 0;
    }
    group->setHidden(shown == 0);
  }
}

}  // namespace ffn::views
