#include "views/style/KindStyle.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <cmath>

#include "core/graph/NodeKind.h"

namespace ffn::views {
namespace {

// Glyphs are drawn in a 0..1 box; a function plot maps x in [-1, 1] and y in [-1, 1] into it.
QPainterPath plot(double (*f)(double)) {
  QPainterPath path;
  for (int i = 0; i <= 24; ++i) {
    const double x = -1.0 + 2.0 * i / 24.0;
    const QPointF p(0.5 + 0.42 * x, 0.5 - 0.42 * std::clamp(f(x), -1.0, 1.0));
    i == 0 ? path.moveTo(p) : path.lineTo(p);
  }
  return path;
}

void dots(QPainter& p, const std::initializer_list<QPointF>& points, double radius) {
  for (const QPointF& point : points) p.drawEllipse(point, radius, radius);
}

void paintGlyph(QPainter& p, const QString& kind) {
  const QPen line(Qt::white, 0.07, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  p.setPen(line);
  p.setBrush(Qt::NoBrush);
  if (kind == "ReLU") return p.drawPath(plot([](double x) { return x > 0 ? 1.6 * x - 0.6 : -0.6; }));
  if (kind == "ELU")
    return p.drawPath(plot([](double x) { return x > 0 ? 1.4 * x - 0.4 : 0.8 * std::expm1(3 * x) - 0.4; }));
  if (kind == "GELU")
    return p.drawPath(plot([](double x) { return 1.6 * x * 0.5 * (1 + std::erf(2.2 * x / std::sqrt(2.0))) - 0.5; }));
  if (kind == "Tanh") return p.drawPath(plot([](double x) { return 0.9 * std::tanh(3 * x); }));
  if (kind == "Sigmoid") return p.drawPath(plot([](double x) { return 1.8 / (1 + std::exp(-5 * x)) - 0.9; }));
  p.setBrush(Qt::white);
  if (kind == "Input" || kind == "Output") {
    // An arrow into (Input) or out of (Output) a bar.
    const bool in = kind == "Input";
    p.drawLine(QPointF(0.18, 0.5), QPointF(in ? 0.62 : 0.78, 0.5));
    const double tip = in ? 0.66 : 0.82;
    p.drawPolygon(QPolygonF{{tip, 0.5}, {tip - 0.18, 0.36}, {tip - 0.18, 0.64}});
    p.drawLine(QPointF(in ? 0.8 : 0.2, 0.24), QPointF(in ? 0.8 : 0.2, 0.76));
    return;
  }
  if (kind == "Dense" || kind == "LowRank") {
    const QList<double> left{0.25, 0.5, 0.75}, right{0.25, 0.5, 0.75};
    const QList<double> middle = kind == "LowRank" ? QList<double>{0.5} : QList<double>{};
    p.setPen(QPen(Qt::white, 0.035));
    if (middle.isEmpty()) {
      for (double a : left)
        for (double b : right) p.drawLine(QPointF(0.22, a), QPointF(0.78, b));
    } else {
      for (double a : left) p.drawLine(QPointF(0.22, a), QPointF(0.5, 0.5));
      for (double b : right) p.drawLine(QPointF(0.5, 0.5), QPointF(0.78, b));
    }
    p.setPen(Qt::NoPen);
    for (double a : left) dots(p, {{0.22, a}}, 0.07);
    for (double b : right) dots(p, {{0.78, b}}, 0.07);
    if (!middle.isEmpty()) dots(p, {{0.5, 0.5}}, 0.08);
    return;
  }
  if (kind == "BlockDiagonal") {
    p.setPen(Qt::NoPen);
    p.drawRect(QRectF(0.2, 0.2, 0.28, 0.28));
    p.drawRect(QRectF(0.52, 0.52, 0.28, 0.28));
    return;
  }
  if (kind == "Softmax") {
    p.setPen(Qt::NoPen);
    const double heights[] = {0.15, 0.25, 0.5, 0.2};
    for (int i = 0; i < 4; ++i) p.drawRect(QRectF(0.2 + i * 0.16, 0.8 - heights[i], 0.11, heights[i]));
    return;
  }
  if (kind == "LayerNorm") {
    p.setBrush(Qt::NoBrush);
    p.drawPath(plot([](double x) { return 1.5 * std::exp(-6 * x * x) - 0.7; }));
    return;
  }
  if (kind == "Dropout") {
    for (int i = 0; i < 9; ++i) {
      p.setBrush(i % 3 == 1 || i == 6 ? Qt::NoBrush : QBrush(Qt::white));
      p.setPen(QPen(Qt::white, 0.04));
      dots(p, {{0.25 + 0.25 * (i % 3), 0.25 + 0.25 * (i / 3)}}, 0.075);
    }
    return;
  }
  if (kind == "Conv2d" || kind == "MaxPool2d" || kind == "AvgPool2d") {
    const int cells = kind == "Conv2d" ? 3 : 2;
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::white, 0.045));
    const double size = 0.6 / cells;
    for (int r = 0; r < cells; ++r)
      for (int c = 0; c < cells; ++c) p.drawRect(QRectF(0.2 + c * size, 0.2 + r * size, size, size));
    if (kind == "MaxPool2d") p.fillRect(QRectF(0.2 + size, 0.2, size, size), Qt::white);
    if (kind == "AvgPool2d") p.drawEllipse(QPointF(0.5, 0.5), 0.09, 0.09);
    return;
  }
  if (kind == "Flatten") {
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(0.18, 0.22, 0.3, 0.3));
    p.drawLine(QPointF(0.18, 0.75), QPointF(0.82, 0.75));
    p.drawLine(QPointF(0.58, 0.37), QPointF(0.8, 0.37));
    return;
  }
  // A kind without a glyph of its own: its initial.
  QFont font;
  font.setPixelSize(1);
  font.setBold(true);
  p.save();
  p.scale(0.6, 0.6);
  p.setFont(font);
  p.setPen(Qt::white);
  p.drawText(QRectF(0, 0, 1 / 0.6, 1 / 0.6), Qt::AlignCenter, kind.left(1));
  p.restore();
}

}  // namespace

QColor categoryColor(const QString& category) {
  // Mid-tone hues that read on light and dark backgrounds alike.
  static const QHash<QString, QColor> colors{
      {"Input/Output", QColor(0x5c, 0x6b, 0xc0)},  {"Linear", QColor(0x1e, 0x88, 0xe5)},
      {"Structured", QColor(0x00, 0x89, 0x7b)},    {"Activation", QColor(0xef, 0x6c, 0x00)},
      {"Normalisation", QColor(0x8e, 0x24, 0xaa)}, {"Regularisation", QColor(0xc2, 0x18, 0x5b)},
      {"Image", QColor(0x43, 0xa0, 0x47)},
  };
  return colors.value(category, QColor(0x75, 0x75, 0x75));
}

QColor errorColor() { return QColor(0xd3, 0x2f, 0x2f); }

void paintKindBadge(QPainter& painter, const QRectF& rect, const QString& kindName) {
  const NodeKind* kind = NodeKindRegistry::builtin().find(kindName.toStdString());
  const QColor color = categoryColor(kind ? QString::fromStdString(kind->category) : QString());
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(color);
  painter.drawRoundedRect(rect, rect.width() * 0.22, rect.height() * 0.22);
  painter.translate(rect.topLeft());
  painter.scale(rect.width(), rect.height());
  paintGlyph(painter, kindName);
  painter.restore();
}

QIcon kindIcon(const QString& kindName) {
  static QHash<QString, QIcon> cache;
  if (auto it = cache.constFind(kindName); it != cache.constEnd()) return *it;
  QIcon icon;
  // Drawn at each size (not scaled from one bitmap), which keeps 1 px lines crisp on high-DPI screens.
  for (int size : {16, 20, 24, 32, 40, 48, 64}) {
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paintKindBadge(painter, QRectF(0.5, 0.5, size - 1.0, size - 1.0), kindName);
    painter.end();
    icon.addPixmap(pixmap);
  }
  cache.insert(kindName, icon);
  return icon;
}

}  // namespace ffn::views
