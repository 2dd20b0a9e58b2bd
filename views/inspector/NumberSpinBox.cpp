#include "views/inspector/NumberSpinBox.h"

#include <QLocale>
#include <cmath>

namespace ffn::views {

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(15);  // the spin box rounds values to this many decimals; the text is formatted separately
  setKeyboardTracking(false);
}

QString NumberSpinBox::textFromValue(double value) const { return locale().toString(value, 'g', 6); }

double NumberSpinBox::valueFromText(const QString& text) const { return locale().toDouble(text.trimmed()); }

QValidator::State NumberSpinBox::validate(QString& text, int&) const {
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty() || trimmed == locale().negativeSign() ||
      trimmed.endsWith(QLatin1Char('e'), Qt::CaseInsensitive) || trimmed.endsWith(locale().decimalPoint()))
    return QValidator::Intermediate;
  bool ok = false;
  const double value = locale().toDouble(trimmed, &ok);
  if (!ok) return QValidator::Invalid;
  return value >= minimum() && value <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void NumberSpinBox::stepBy(int steps) {
  if (!m_logScale || value() <= 0) return QDoubleSpinBox::stepBy(steps);
  setValue(std::clamp(value() * std::pow(2.0, steps), minimum(), maximum()));
}

}  // namespace ffn::views
