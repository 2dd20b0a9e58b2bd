#include "views/inspector/SpecForm.h"

#include <QFormLayout>
#include <QLabel>

#include "views/document/NetworkDocument.h"
#include "views/inspector/ParamEditor.h"
#include "views/inspector/SliderEditor.h"

namespace ffn::views {

SpecForm::SpecForm(NetworkDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_form(new QFormLayout(this)) {
  m_form->setContentsMargins(0, 0, 0, 0);
  m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void SpecForm::setSpecs(std::vector<ParamSpec> specs, std::string pointer, std::set<std::string> sliders,
                        std::set<std::string> skip) {
  while (m_form->rowCount() > 0) m_form->removeRow(0);
  m_rows.clear();
  m_specs = std::move(specs);
  m_pointer = std::move(pointer);
  for (const ParamSpec& spec : m_specs) {
    if (skip.count(spec.name)) continue;
    Row row{spec.name};
    const std::string name = spec.name;
    if (sliders.count(spec.name) && (spec.type == ParamType::Int || spec.type == ParamType::Float)) {
      auto* slider = new SliderEditor(spec);
      connect(slider, &SliderEditor::edited, this, [this, name](const Json& value) { edit(name, value); });
      row.editor = slider;
    } else {
      auto* editor = new ParamEditor(spec);
      connect(editor, &ParamEditor::edited, this, [this, name](const Json& value) { edit(name, value); });
      row.editor = editor;
    }
    row.label = new QLabel(QString::fromStdString(spec.label));
    row.label->setToolTip(QString::fromStdString(spec.help));
    row.help = new QLabel(QString::fromStdString(spec.help), this);
    row.help->setWordWrap(true);
    row.help->setForegroundRole(QPalette::PlaceholderText);
    QFont small = row.help->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    row.help->setFont(small);
    row.editor->setToolTip(QString::fromStdString(spec.help));
    m_form->addRow(row.label, row.editor);
    if (m_captions)
      m_form->addRow(QString(), row.help);
    else
      row.help->hide();
    m_rows.push_back(row);
  }
}

void SpecForm::edit(const std::string& name, const Json& value) {
  const Status status = m_document->setSetting(m_pointer + "/" + name, value);
  if (!status) Q_EMIT editRefused(QString::fromStdString(status.message()));
}

void SpecForm::refresh(const Json& values) {
  for (const Row& row : m_rows) {
    const ParamSpec* spec = nullptr;
    for (const ParamSpec& s : m_specs)
      if (s.name == row.name) spec = &s;
    const Json& value = values.is_object() && values.contains(row.name) ? values.at(row.name) : spec->defaultValue;
    if (auto* slider = qobject_cast<SliderEditor*>(row.editor))
      slider->setValue(value);
    else
      static_cast<ParamEditor*>(row.editor)->setValue(value);
  }
}

void SpecForm::setRowVisible(const std::string& name, bool visible) {
  for (const Row& row : m_rows)
    if (row.name == name)
      for (QWidget* widget : {row.editor, static_cast<QWidget*>(row.label), static_cast<QWidget*>(row.help)})
        widget->setVisible(visible && (widget != row.help || m_captions));
}

bool SpecForm::isRowVisible(const std::string& name) const {
  for (const Row& row : m_rows)
    if (row.name == name) return !row.editor->isHidden();
  return false;
}

QWidget* SpecForm::editor(const std::string& name) const {
  for (const Row& row : m_rows)
    if (row.name == name) return row.editor;
  return nullptr;
}

}  // namespace ffn::views
