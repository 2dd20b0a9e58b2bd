#pragma once
// DialogPrompter: the Prompter that asks with message boxes and file dialogs. It remembers the last folder used.
#include "views/mainwindow/Prompter.h"

class QWidget;

namespace ffn::views {

class DialogPrompter : public Prompter {
 public:
  explicit DialogPrompter(QWidget* parent) : m_parent(parent) {}

  SaveChoice askToSaveChanges(const QString& name) override;
  bool askToRecover(const QString& details) override;
  QString askOpenPath() override;
  QString askSavePath(const QString& suggestion) override;
  QString askImportPath(const QString& filter) override;
  QString askExportPath(const QString& suggestion, const QString& filter) override;
  void showError(const QString& title, const QString& message) override;

 private:
  QWidget* m_parent;
};

}  // namespace ffn::views
