#pragma once
// How a node kind looks wherever it appears (palette, canvas, inspector): an accent colour per category and a
// small glyph per kind, drawn with QPainter so it is sharp at any scale and needs no image files. The accents are
// the only fixed colours in the views; everything else comes from the palette, so light and dark themes work.
#include <QColor>
#include <QIcon>
#include <QString>

class QPainter;
class QRectF;

namespace ffn::views {

QColor categoryColor(const QString& category);
// The colour that marks invalid nodes and refused connections.
QColor errorColor();
// The kind's glyph in white on a rounded square of its category colour.
QIcon kindIcon(const QString& kindName);
void paintKindBadge(QPainter& painter, const QRectF& rect, const QString& kindName);

}  // namespace ffn::views
