#pragma once
// Prompter: every question the application asks the person in front of it (save changes? recover? which file?)
// goes through this interface, so tests can give scripted answers instead of clicking dialogs.
// DialogPrompter is the real one.
#include <QString>

namespace ffn::views {

class Prompter {
 public:
  enum class SaveChoice { Save, Discard, Cancel };

  virtual ~Prompter() = default;
  // The document `name` has unsaved changes that the next step would lose.
  virtual SaveChoice askToSaveChanges(const QString& name) = 0;
  // Unsaved work of a session that did not end properly was found; `details` says what and when.
  virtual bool askToRecover(const QString& details) = 0;
  // Paths; empty when the person cancels.
  virtual QString askOpenPath() = 0;
  virtual QString askSavePath(const QString& suggestion) = 0;
  // Paths of other formats (File > Import/Export ONNX): `filter` as in a file dialog ("ONNX models (*.onnx)").
  // By default the project questions answer them, so a scripted prompter needs nothing more.
  virtual QString askImportPath(const QString& filter) {
    (void)filter;
    return askOpenPath();
  }
  virtual QString askExportPath(const QString& suggestion, const QString& filter) {
    (void)filter;
    return askSavePath(suggestion);
  }
  virtual void showError(const QString& title, const QString& message) = 0;
};

}  // namespace ffn::views
