#pragma once
// SpecForm: editors built from a ParamSpec table and bound to one object of the project's run settings (a JSON
// pointer such as "/training/optimizer" or "/dataset"), as the inspector does for a node's settings. Each edit
// goes to the document (validated there, one undo step); refresh() shows the values the document holds.
#include <QWidget>
#include <set>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"

class QFormLayout;
class QLabel;

namespace ffn::views {

class NetworkDocument;

class SpecForm : public QWidget {
  Q_OBJECT

 public:
  explicit SpecForm(NetworkDocument* document, QWidget* parent = nullptr);

  // Builds the editors. `sliders` names the number settings edited with a slider; `skip` the ones left out.
  void setSpecs(std::vector<ParamSpec> specs, std::string pointer, std::set<std::string> sliders = {},
                std::set<std::string> skip = {});
  const std::vector<ParamSpec>& specs() const { return m_specs; }
  // Whether each setting's help shows as a caption under it (else only as a tooltip); before setSpecs.
  void setCaptions(bool on) { m_captions = on; }
  // Shows `values` (an object; missing settings show their defaults).
  void refresh(const Json& values);
  void setRowVisible(const std::string& name, bool visible);
  bool isRowVisible(const std::string& name) const;
  QWidget* editor(const std::string& name) const;  // the ParamEditor or SliderEditor

 Q_SIGNALS:
  void editRefused(const QString& message);

 private:
  struct Row {
    std::string name;
    QWidget* editor = nullptr;
    QLabel* label = nullptr;
    QLabel* help = nullptr;
  };
  void edit(const std::string& name, const Json& value);

  NetworkDocument* m_document;
  QFormLayout* m_form;
  std::vector<ParamSpec> m_specs;
  std::string m_pointer;
  std::vector<Row> m_rows;
  bool m_captions = true;
};

}  // namespace ffn::views
