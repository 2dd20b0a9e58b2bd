#pragma once
// PaletteWidget: every node kind of the core registry, grouped by category, each with its icon and one-line
// summary, filtered as you type. Drag a kind onto the canvas to add it, or double-click it (or press Enter) to add
// it in the middle of the view. The list comes from NodeKindRegistry, so a new layer kind appears here by itself.
#include <QWidget>

class QLineEdit;
class QTreeWidgetItem;

namespace ffn::views {

class KindTree;

class PaletteWidget : public QWidget {
  Q_OBJECT

 public:
  explicit PaletteWidget(QWidget* parent = nullptr);

  QLineEdit* searchField() const { return m_search; }
  KindTree* tree() const { return m_tree; }
  // The item of a kind (nullptr when unknown).
  QTreeWidgetItem* itemForKind(const QString& kind) const;
  // Kinds that the current filter shows.
  QStringList visibleKinds() const;
  void setFilter(const QString& text);

 Q_SIGNALS:
  void kindActivated(const QString& kind);
  void statusMessage(const QString& text);

 private:
  void populate();

  QLineEdit* m_search;
  KindTree* m_tree;
};

}  // namespace ffn::views
