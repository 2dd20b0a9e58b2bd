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
  virtual void showError(const QString& title, const QString& message) = 0;
};

}  // namespace ffn::views
