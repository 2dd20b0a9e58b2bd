#include "views/document/GraphClipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>

#include "views/document/ProjectIo.h"

namespace ffn::views {

void copyToClipboard(const Graph& fragment) {
  const QByteArray text = QByteArray::fromStdString(graphJson(fragment).dump(2));
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(kGraphMimeType), text);
  data->setText(QString::fromUtf8(text));  // readable when pasted into a text editor
  QGuiApplication::clipboard()->setMimeData(data);
}

Result<Graph> graphFromClipboard() {
  const QMimeData* data = QGuiApplication::clipboard()->mimeData();
  if (!data || !data->hasFormat(QString::fromLatin1(kGraphMimeType))) return fail("the clipboard holds no nodes");
  return graphFromJsonText(data->data(QString::fromLatin1(kGraphMimeType)));
}

bool clipboardHasGraph() {
  const QMimeData* data = QGuiApplication::clipboard()->mimeData();
  return data && data->hasFormat(QString::fromLatin1(kGraphMimeType));
}

}  // namespace ffn::views
