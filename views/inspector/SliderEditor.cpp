#include "views/inspector/SliderEditor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <cmath>

namespace ffn::views {

SliderEditor::SliderEditor(const ParamSpec& spec, QWidget* parent)
    : QWidget(parent), m_spec(spec), m_slider(new QSlider(Qt::Horizontal)), m_label(new QLabel) {
  m_slider->setRange(0, kSteps);
  m_slider->setObjectName(QString::fromStdString(spec.name));
  m_slider->setToolTip(QString::fromStdString(spec.help));
  m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("000,000")));
  m_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_slider, 1);
  layout->addWidget(m_label);
  connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
    const Json value = valueAt(position);
    m_label->setText(value.is_number_integer() ? QLocale().toString(value.get<qlonglong>())
                                               : QLocale().toString(value.get<double>(), 'g', 3));
    if (!m_updating) Q_EMIT edited(value);
  });
  setValue(spec.defaultValue);
}

Json SliderEditor::valueAt(int position) const {
  const double t = static_cast<double>(position) / kSteps;
  if (m_spec.type == ParamType::Int) {
    // Sizes span orders of magnitude (20 ... a million): the slider moves over a range worth sweeping, up to
    // 100x the smallest value, in even steps; larger values are typed in the file or the inspector.
    const double high = std::min(m_spec.maximum, std::max(m_spec.minimum * 100.0, m_spec.minimum + kSteps));
    const double step = std::pow(10.0, std::floor(std::log10(std::max((high - m_spec.minimum) / kSteps, 1.0))));
    return static_cast<std::int64_t>(std::lround((m_spec.minimum + t * (high - m_spec.minimum)) / step) * step);
  }
  const double v = m_spec.minimum + t * (m_spec.maximum - m_spec.minimum);
  return std::round(v * 1000.0) / 1000.0;
}

int SliderEditor::positionOf(double value) const {
  double high = m_spec.maximum;
  if (m_spec.type == ParamType::Int)
    high = std::min(m_spec.maximum, std::max(m_spec.minimum * 100.0, m_spec.minimum + kSteps));
  if (high <= m_spec.minimum) return 0;
  return static_cast<int>(std::lround(std::clamp((value - m_spec.minimum) / (high - m_spec.minimum), 0.0, 1.0) * kSteps));
}

Json SliderEditor::value() const { return valueAt(m_slider->value()); }

void SliderEditor::setValue(const Json& value) {
  if (!value.is_number()) return;
  m_updating = true;
  m_slider->setValue(positionOf(value.get<double>()));
  // The label shows the value itself, which may lie between two slider positions (or beyond the slider's range).
  m_label->setText(value.is_number_integer() ? QLocale().toString(value.get<qlonglong>())
                                             : QLocale().toString(value.get<double>(), 'g', 3));
  m_updating = false;
}

}  // namespace ffn::views
