#include "views/palette/KindTree.h"

#include <QMimeData>

#include "views/document/MimeTypes.h"

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
