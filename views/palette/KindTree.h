#pragma once
// KindTree: the palette's tree. Its only addition to QTreeWidget is the drag payload: a kind's name under the
// node-kind MIME type, which the canvas accepts as a drop.
#include <QTreeWidget>

namespace ffn::views {

class KindTree : public QTreeWidget {
  Q_OBJECT

 public:
  static constexpr int kKindRole = Qt::UserRole + 1;  // the kind's name on kind items; empty on categories

  explicit KindTree(QWidget* parent = nullptr);

 protected:
  QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override;
  QStringList mimeTypes() const override;
};

}  // namespace ffn::views
