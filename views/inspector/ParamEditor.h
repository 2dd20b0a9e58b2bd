#pragma once
// ParamEditor: the editor for one setting, chosen by its ParamSpec — a spin box with the spec's range for whole
// numbers and reals, a check box, a combo box of the choices, a line edit for lists of whole numbers ("1, 28,
// 28") or for text. It reports edits as JSON values and never applies them itself: the inspector sends them to the
// document, which validates them and records the undo step.
#include <QWidget>

#include "core/graph/ParamSpec.h"

namespace ffn::views {

class ParamEditor : public QWidget {
  Q_OBJECT

 public:
  ParamEditor(const ParamSpec& spec, QWidget* parent = nullptr);

  const ParamSpec& spec() const { return m_spec; }
  // Shows `value` without reporting it as an edit.
  void setValue(const Json& value);
  QWidget* editor() const { return m_editor; }

  // "1, 28, 28" <-> [1, 28, 28]; an error names what is wrong with the text.
  static QString formatIntList(const Json& list);
  static Result<Json> parseIntList(const QString& text);

 Q_SIGNALS:
  void edited(const ffn::Json& value);

 private:
  void report(const Json& value);

  ParamSpec m_spec;
  QWidget* m_editor = nullptr;
  bool m_updating = false;
};

}  // namespace ffn::views
