#pragma once
// ProjectController: the File menu's logic — new, open (from disk, the recent list or the embedded examples), save,
// save as, the prompt before unsaved changes are lost, autosave and crash recovery. It works on the one
// NetworkDocument and asks its questions through a Prompter, so all of it runs in tests without dialogs.
#include <QObject>
#include <QStringList>

#include "core/project/Project.h"

namespace ffn::views {

class Autosaver;
class NetworkDocument;
class Prompter;
class RecentFiles;

class ProjectController : public QObject {
  Q_OBJECT

 public:
  ProjectController(NetworkDocument* document, Prompter* prompter, QObject* parent = nullptr);

  Autosaver* autosaver() const { return m_autosaver; }
  RecentFiles* recentFiles() const { return m_recent; }

  // The example projects embedded in the application (":/examples/<name>.ffnlab"), sorted.
  static QStringList examples();
  static QString defaultExample();
  // A new project: an Input and an Output, ready for layers in between.
  static Project blankProject();

  // When the document has unsaved changes, asks whether to save them first. True: go on (saved or discarded).
  bool confirmDiscard();
  bool newProject();
  bool open();  // asks for the file
  bool openFile(const QString& path);
  bool openExample(const QString& resource);
  bool save();
  bool saveAs();
  bool saveTo(const QString& path);
  // File > Import ONNX: asks for a model, then where to keep it as a project (its weights beside it), and opens it.
  bool importOnnxModel();
  // File > Export ONNX: the saved project with the weights trained for it (beside it) as an ONNX model.
  bool exportOnnxModel();
  // At start-up: offers the newest unsaved work of a crashed session. True when it was recovered.
  bool offerRecovery();

 Q_SIGNALS:
  void projectOpened();
  void statusMessage(const QString& text);

 private:
  bool load(const QString& path, const QString& documentPath);

  NetworkDocument* m_document;
  Prompter* m_prompter;
  Autosaver* m_autosaver;
  RecentFiles* m_recent;
};

}  // namespace ffn::views
