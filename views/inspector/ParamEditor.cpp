#include "views/inspector/ParamEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <climits>
#include <cmath>

#include "views/inspector/NumberSpinBox.h"

namespace ffn::views {
namespace {

int toInt(double value) { return static_cast<int>(std::clamp(value, double(INT_MIN), double(INT_MAX))); }

// A step of about a hundredth of the range, rounded down to a power of ten: 0.01 for [0, 1], 1 for [0, 100].
double stepFor(const ParamSpec& spec) {
  const double range = spec.maximum - spec.minimum;
  return range > 0 ? std::pow(10.0, std::floor(std::log10(range / 100.0))) : 1.0;
}

}  // namespace

ParamEditor::ParamEditor(const ParamSpec& spec, QWidget* parent) : QWidget(parent), m_spec(spec) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  const QString help = QString::fromStdString(spec.help);
  switch (spec.type) {
    case ParamType::Int: {
      auto* box = new QSpinBox;
      box->setRange(toInt(spec.minimum), toInt(spec.maximum));
      box->setKeyboardTracking(false);  // one edit when typing is done, not one per digit
      box->setGroupSeparatorShown(true);
      connect(box, &QSpinBox::valueChanged, this, [this](int v) { report(Json(static_cast<std::int64_t>(v))); });
      m_editor = box;
      break;
    }
    case ParamType::Float: {
      auto* box = new NumberSpinBox;
      box->setRange(spec.minimum, spec.maximum);
      box->setSingleStep(stepFor(spec));
      box->setLogScale(spec.logScale);
      connect(box, &QDoubleSpinBox::valueChanged, this, [this](double v) { report(Json(v)); });
      m_editor = box;
      break;
    }
    case ParamType::Bool: {
      auto* box = new QCheckBox(tr("On"));
      connect(box, &QCheckBox::toggled, this, [this](bool on) { report(Json(on)); });
      m_editor = box;
      break;
    }
    case ParamType::Choice: {
      auto* box = new QComboBox;
      for (const auto& choice : spec.choices) box->addItem(QString::fromStdString(choice));
      connect(box, &QComboBox::activated, this, [this, box](int) { report(Json(box->currentText().toStdString())); });
      m_editor = box;
      break;
    }
    case ParamType::IntList: {
      auto* line = new QLineEdit;
      line->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9,x× ]*")), line));
      line->setPlaceholderText(tr("e.g. 1, 28, 28"));
      connect(line, &QLineEdit::editingFinished, this, [this, line] {
        auto list = parseIntList(line->text());
        // A malformed list goes to the document as text, so its refusal message explains the problem.
        report(list ? *list : Json(line->text().toStdString()));
      });
      m_editor = line;
      break;
    }
    case ParamType::Text: {
      auto* line = new QLineEdit;
      connect(line, &QLineEdit::editingFinished, this, [this, line] { report(Json(line->text().toStdString())); });
      m_editor = line;
      break;
    }
  }
  m_editor->setToolTip(help);
  m_editor->setObjectName(QString::fromStdString(spec.name));
  layout->addWidget(m_editor);
  setValue(spec.defaultValue);
}

void ParamEditor::report(const Json& value) {
  if (!m_updating) Q_EMIT edited(value);
}

void ParamEditor::setValue(const Json& value) {
  m_updating = true;
  switch (m_spec.type) {
    case ParamType::Int:
      if (value.is_number()) static_cast<QSpinBox*>(m_editor)->setValue(toInt(value.get<double>()));
      break;
    case ParamType::Float:
      if (value.is_number()) static_cast<QDoubleSpinBox*>(m_editor)->setValue(value.get<double>());
      break;
    case ParamType::Bool:
      if (value.is_boolean()) static_cast<QCheckBox*>(m_editor)->setChecked(value.get<bool>());
      break;
    case ParamType::Choice:
      if (value.is_string())
        static_cast<QComboBox*>(m_editor)->setCurrentText(QString::fromStdString(value.get<std::string>()));
      break;
    case ParamType::IntList:
      static_cast<QLineEdit*>(m_editor)->setText(formatIntList(value));
      break;
    case ParamType::Text:
      if (value.is_string())
        static_cast<QLineEdit*>(m_editor)->setText(QString::fromStdString(value.get<std::string>()));
      break;
  }
  m_updating = false;
}

QString ParamEditor::formatIntList(const Json& list) {
  if (!list.is_array()) return list.is_string() ? QString::fromStdString(list.get<std::string>()) : QString();
  QStringList parts;
  for (const Json& entry : list) parts << QString::fromStdString(entry.dump());
  return parts.join(QStringLiteral(", "));
}

Result<Json> ParamEditor::parseIntList(const QString& text) {
  static const QRegularExpression separators(QStringLiteral("[,x× ]+"));
  Json list = Json::array();
  for (const QString& part : text.split(separators, Qt::SkipEmptyParts)) {
    bool ok = false;
    const qlonglong value = part.toLongLong(&ok);
    if (!ok) return fail("'", part.toStdString(), "' is not a whole number");
    list.push_back(static_cast<std::int64_t>(value));
  }
  if (list.empty()) return fail("the list is empty");
  return list;
}

}  // namespace ffn::views
