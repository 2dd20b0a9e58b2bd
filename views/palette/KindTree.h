#pragma once
// KindTree: the palette's tree. Its additions to QTreeWidget are the drag: a kind's name under the node-kind MIME
// type (which the canvas accepts as a drop), with the kind's icon under the cursor, and a signal when one starts.
#include <QMimeData>
#include <QTreeWidget>

namespace ffn::views {

class KindTree : public QTreeWidget {
  Q_OBJECT

 public:
  static constexpr int kKindRole = Qt::UserRole + 1;  // the kind's name on kind items; empty on categories

  explicit KindTree(QWidget* parent = nullptr);

 Q_SIGNALS:
  // A kind is being dragged; `data` is what a drop will receive (valid until the drag ends).
  void dragStarted(const QString& kind, const QMimeData* data);

 protected:
  void startDrag(Qt::DropActions supportedActions) override;
  QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override;
  QStringList mimeTypes() const override;
};

}  // namespace ffn::views
