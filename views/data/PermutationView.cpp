#include "views/data/PermutationView.h"

#include <QPainter>
#include <algorithm>

#include "views/style/PresenterScale.h"

namespace ffn::views {
namespace {

QColor cellColor(float value) {
  // 0 white .. 1 dark blue; negative values (possible: the outputs are not squashed) stay white.
  const double t = std::clamp(static_cast<double>(value), 0.0, 1.0);
  return QColor::fromRgbF(1.0 - 0.92 * t, 1.0 - 0.75 * t, 1.0 - 0.35 * t);
}

}  // namespace

PermutationView::PermutationView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("permutationView"));
  setMinimumSize(200, 180);
  setToolTip(tr("Row i: the network's output for the basis vector e_i. Rings: the target P e_i. "
                "A red mark: a row with a bit decided wrong."));
}

void PermutationView::setMatrix(const PermutationMatrix& matrix) {
  m_matrix = matrix;
  update();
}

void PermutationView::clear() { setMatrix(PermutationMatrix{}); }

void PermutationView::setPresenterMode(bool on) {
  m_presenter = on;
  update();
}

QString PermutationView::caption() const {
  if (m_matrix.k == 0) return tr("The learned permutation appears here while the run trains.");
  return tr("Learned permutation, k = %1: %2 of %3 rows exact (a bit is 1 above %4)")
      .arg(m_matrix.k)
      .arg(m_matrix.exactRows)
      .arg(m_matrix.k)
      .arg(m_matrix.threshold);
}

QImage PermutationView::render(int cell) const {
  const int k = m_matrix.k;
  if (k == 0 || cell < 2) return {};
  const int margin = cell;  // room for the wrong-row marks on the left
  QImage image(margin + k * cell + 1, k * cell + 1, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  for (int r = 0; r < k; ++r) {
    bool rowExact = true;
    for (int c = 0; c < k; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * static_cast<std::size_t>(k) + static_cast<std::size_t>(c);
      const QRect box(margin + c * cell, r * cell, cell, cell);
      painter.fillRect(box, cellColor(m_matrix.values[i]));
      const bool target = m_matrix.targets[i] > 0.5f;
      rowExact = rowExact && ((m_matrix.values[i] > m_matrix.threshold) == target);
      if (target) {
        // A pen is centred on its path: inset by half its width and a gap, so the ring stays inside its cell,
        // clear of the neighbours and of the frame.
        const int pen = std::max(1, cell / 8);
        const int inset = pen / 2 + std::max(1, cell / 10);
        painter.setPen(QPen(QColor(230, 140, 0), pen, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        painter.drawRect(box.adjusted(inset, inset, -inset - 1, -inset - 1));
      }
    }
    // The wrong-row mark ends a quarter cell before the frame.
    if (!rowExact)
      painter.fillRect(QRect(cell / 8, r * cell + cell / 4, margin - cell / 8 - cell / 4, cell / 2), QColor(210, 30, 30));
  }
  painter.setPen(QColor(200, 200, 200));
  painter.drawRect(QRect(margin, 0, k * cell, k * cell));
  return image;
}

void PermutationView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  QFont font = painter.font();
  if (m_presenter) font.setPointSizeF(font.pointSizeF() * kPresenterDrawnTextScale);
  painter.setFont(font);
  const int textHeight = painter.fontMetrics().height() * 2 + 8;
  painter.setPen(palette().color(QPalette::Text));
  painter.drawText(QRect(4, 2, width() - 8, textHeight), Qt::AlignCenter | Qt::TextWordWrap, caption());
  if (m_matrix.k == 0) return;
  const int side = std::min(width() - 8, height() - textHeight - 4);
  const int cell = std::max(2, side / (m_matrix.k + 1));
  const QImage image = render(cell);
  painter.drawImage(QPoint((width() - image.width()) / 2, textHeight), image);
}

}  // namespace ffn::views
