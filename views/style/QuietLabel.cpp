#include "views/style/QuietLabel.h"

#include <QEvent>

namespace ffn::views {

QuietLabel::QuietLabel(int lines, QWidget* parent) : QWidget(parent), m_label(new QLabel(this)), m_lines(lines) {
  m_label->setWordWrap(lines > 1);
  m_label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void QuietLabel::setText(const QString& text) {
  m_label->setText(text);
  // One line that does not fit shows all of it on hovering.
  const bool cut = m_lines == 1 && m_label->sizeHint().width() > width();
  m_label->setToolTip(cut ? text : QString());
}

QSize QuietLabel::sizeHint() const {
  const int margins = 2 * m_label->margin() + 2;
  // Not from the text: a hint that followed it would move the layout around whenever something else re-lays out.
  return {24 * fontMetrics().averageCharWidth(), m_lines * fontMetrics().lineSpacing() + margins};
}

QSize QuietLabel::minimumSizeHint() const { return {0, sizeHint().height()}; }

void QuietLabel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  m_label->setGeometry(rect());
}

void QuietLabel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) updateGeometry();  // another height for the same lines (presenter mode)
}

}  // namespace ffn::views
