#include "views/palette/KindTree.h"

#include <QDrag>
#include <QMimeData>

#include "views/document/MimeTypes.h"
#include "views/style/KindStyle.h"

namespace ffn::views {

KindTree::KindTree(QWidget* parent) : QTreeWidget(parent) {
  setHeaderHidden(true);
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setRootIsDecorated(false);
  setIndentation(8);
  setIconSize(QSize(20, 20));
  setExpandsOnDoubleClick(false);
}

void KindTree::startDrag(Qt::DropActions) {
  QTreeWidgetItem* item = currentItem();
  const QString kind = item ? item->data(0, kKindRole).toString() : QString();
  if (kind.isEmpty()) return;  // a category heading
  auto* drag = new QDrag(this);
  drag->setMimeData(mimeData({item}));
  drag->setPixmap(kindIcon(kind).pixmap(QSize(32, 32), devicePixelRatioF()));
  drag->setHotSpot(QPoint(16, 16));
  Q_EMIT dragStarted(kind, drag->mimeData());
  drag->exec(Qt::CopyAction, Qt::CopyAction);
}

QStringList KindTree::mimeTypes() const { return {QString::fromLatin1(kNodeKindMimeType)}; }

QMimeData* KindTree::mimeData(const QList<QTreeWidgetItem*>& items) const {
  if (items.isEmpty()) return nullptr;
  const QString kind = items.first()->data(0, kKindRole).toString();
  if (kind.isEmpty()) return nullptr;
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(kNodeKindMimeType), kind.toUtf8());
  data->setText(kind);
  return data;
}

}  // namespace ffn::views
