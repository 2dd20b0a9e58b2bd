#pragma once
// SliderEditor: a number setting as a slider with its value beside it — for settings one sweeps while watching
// (a synthetic set's noise and size), where a spin box would ask for typing. Reports edits as JSON, like
// ParamEditor, and never applies them itself.
#include <QWidget>

#include "core/graph/ParamSpec.h"

class QLabel;
class QSlider;

namespace ffn::views {

class SliderEditor : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSteps = 200;  // slider positions over the spec's range

  explicit SliderEditor(const ParamSpec& spec, QWidget* parent = nullptr);
  const ParamSpec& spec() const { return m_spec; }
  void setValue(const Json& value);
  QSlider* slider() const { return m_slider; }
  Json value() const;

 Q_SIGNALS:
  void edited(const ffn::Json& value);

 private:
  Json valueAt(int position) const;
  int positionOf(double value) const;

  ParamSpec m_spec;
  QSlider* m_slider;
  QLabel* m_label;
  bool m_updating = false;
};

}  // namespace ffn::views
