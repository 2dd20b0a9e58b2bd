#include "views/data/ScoreBars.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "views/style/ColorMaps.h"

namespace ffn::views {

ScoreBars::ScoreBars(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ScoreBars::setScores(const std::vector<float>& scores, const QStringList& classNames, int label,
                          bool probabilities) {
  // A relayout only when the size hints change (more than ten classes, a longer name): updateGeometry() climbs to
  // the window and re-lays out every dock, and the first scores after a click (0 -> 10 rows, the same room) did.
  const QSize hint = sizeHint(), minimumHint = minimumSizeHint();
  m_scores = scores;
  m_names = classNames;
  m_label = label;
  m_probabilities = probabilities;
  if (sizeHint() != hint || minimumSizeHint() != minimumHint) updateGeometry();
  update();
}

void ScoreBars::clear() { setScores({}, {}, -1, false); }

int ScoreBars::rowHeight() const { return fontMetrics().height() + 2; }

QRect ScoreBars::rowRect(int c) const {
  if (c < 0 || c >= static_cast<int>(m_scores.size())) return {};
  return {0, 1 + c * rowHeight(), width(), rowHeight()};
}

QSize ScoreBars::sizeHint() const {
  // Ten classes before the first scores come: the layout keeps their room, and nothing moves when they do.
  const int rows = std::max(10, static_cast<int>(m_scores.size()));
  return {260, rows * rowHeight() + 2};
}

QSize ScoreBars::minimumSizeHint() const {
  // The longest name (Fashion-MNIST's "Ankle boot" before there are names), a short bar and "100.0 %", in the
  // current font: presenter mode's larger text asks for more, and the sample list gives it up.
  int name = fontMetrics().horizontalAdvance(QStringLiteral("✓ Ankle boot"));
  for (const QString& n : m_names) name = std::max(name, fontMetrics().horizontalAdvance(QStringLiteral("✓ ") + n));
  return {name + 16 + 40 + fontMetrics().horizontalAdvance(QStringLiteral("100.0 %")) + 6, sizeHint().height()};
}

void ScoreBars::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (m_scores.empty()) return;
  const int row = rowHeight();
  int nameWidth = 0;
  for (int c = 0; c < static_cast<int>(m_scores.size()); ++c)
    nameWidth = std::max(nameWidth, fontMetrics().horizontalAdvance(c < m_names.size() ? m_names[c] : QString::number(c)));
  nameWidth += 16;
  const int valueWidth = fontMetrics().horizontalAdvance(QStringLiteral("100.0 %")) + 6;
  const int barArea = std::max(20, width() - nameWidth - valueWidth);
  const auto best = static_cast<int>(std::max_element(m_scores.begin(), m_scores.end()) - m_scores.begin());
  // Probabilities fill 0..1; raw scores are drawn relative to the largest magnitude.
  float scale = 1.0f;
  if (!m_probabilities)
    for (float s : m_scores) scale = std::max(scale, std::abs(s));
  for (int c = 0; c < static_cast<int>(m_scores.size()); ++c) {
    const int y = rowRect(c).y();
    const QString name = c < m_names.size() ? m_names[c] : QString::number(c);
    painter.setPen(palette().color(QPalette::WindowText));
    QFont font = this->font();
    font.setBold(c == m_label);
    painter.setFont(font);
    painter.drawText(QRect(0, y, nameWidth - 6, row), Qt::AlignRight | Qt::AlignVCenter,
                     (c == m_label ? QStringLiteral("✓ ") : QString()) + name);
    const double fraction = std::clamp(std::abs(m_scores[static_cast<std::size_t>(c)]) / scale, 0.0f, 1.0f);
    const QColor fill = c == best ? classColor(c) : palette().color(QPalette::Mid);
    painter.fillRect(QRectF(nameWidth, y + 2, std::max(1.0, fraction * barArea), row - 3), fill);
    const QString value = m_probabilities ? QStringLiteral("%1 %").arg(100.0 * m_scores[static_cast<std::size_t>(c)], 0, 'f', 1)
                                          : QString::number(m_scores[static_cast<std::size_t>(c)], 'g', 3);
    painter.drawText(QRect(nameWidth + barArea + 4, y, valueWidth, row), Qt::AlignLeft | Qt::AlignVCenter, value);
  }
}

}  // namespace ffn::views
