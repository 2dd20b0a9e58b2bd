#pragma once
// NumberSpinBox: a spin box for real-valued settings whose values span many orders of magnitude (1e-8 ... 10):
// it shows the shortest form of the number ("0.001", "1e-08") instead of a fixed count of decimals, and on a log
// scale its arrows halve and double the value instead of adding a fixed step.
#include <QDoubleSpinBox>

namespace ffn::views {

class NumberSpinBox : public QDoubleSpinBox {
  Q_OBJECT

 public:
  explicit NumberSpinBox(QWidget* parent = nullptr);
  void setLogScale(bool logScale) { m_logScale = logScale; }

  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& position) const override;
  void stepBy(int steps) override;

 private:
  bool m_logScale = false;
};

}  // namespace ffn::views
