#include "views/mainwindow/ProjectController.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include "core/onnx/OnnxExport.h"
#include "core/onnx/OnnxImport.h"
#include "core/project/ProjectFile.h"
#include "core/project/Safetensors.h"
#include "views/document/Autosaver.h"
#include "views/document/NetworkDocument.h"
#include "views/document/ProjectIo.h"
#include "views/mainwindow/Prompter.h"
#include "views/mainwindow/RecentFiles.h"

namespace ffn::views {
namespace {
QString qs(const std::string& text) { return QString::fromStdString(text); }
}  // namespace

ProjectController::ProjectController(NetworkDocument* document, Prompter* prompter, QObject* parent)
    : QObject(parent),
      m_document(document),
      m_prompter(prompter),
      m_autosaver(new Autosaver(document, {}, this)),
      m_recent(new RecentFiles(this)) {}

QStringList ProjectController::examples() {
  QStringList paths;
  for (const QString& name :
       QDir(QStringLiteral(":/examples")).entryList({QStringLiteral("*.ffnlab")}, QDir::Files, QDir::Name))
    paths << QStringLiteral(":/examples/") + name;
  return paths;
}

QString ProjectController::defaultExample() { return QStringLiteral(":/examples/spiral-bp.ffnlab"); }

Project ProjectController::blankProject() {
  Project project;
  const NodeKindRegistry& kinds = NodeKindRegistry::builtin();
  (void)project.graph.addNode(Node{"input", "Input", "input", defaultParams(kinds.find("Input")->params), {0, 0}});
  (void)project.graph.addNode(
      Node{"output", "Output", "output", defaultParams(kinds.find("Output")->params), {0, 300}});
  return project;
}

bool ProjectController::confirmDiscard() {
  if (!m_document->isModified()) return true;
  switch (m_prompter->askToSaveChanges(m_document->displayName())) {
    case Prompter::SaveChoice::Save:
      return save();
    case Prompter::SaveChoice::Discard:
      return true;
    case Prompter::SaveChoice::Cancel:
      return false;
  }
  return false;
}

bool ProjectController::newProject() {
  if (!confirmDiscard()) return false;
  m_document->reset(blankProject(), QString());
  m_autosaver->discard();
  Q_EMIT projectOpened();
  Q_EMIT statusMessage(tr("New project: add layers between Input and Output."));
  return true;
}

bool ProjectController::open() {
  if (!confirmDiscard()) return false;
  const QString path = m_prompter->askOpenPath();
  return !path.isEmpty() && load(path, path);
}

bool ProjectController::openFile(const QString& path) { return confirmDiscard() && load(path, path); }

bool ProjectController::openExample(const QString& resource) {
  // An example opens as an unsaved copy: saving asks where, so the embedded original is never overwritten.
  return confirmDiscard() && load(resource, QString());
}

bool ProjectController::load(const QString& path, const QString& documentPath) {
  auto project = readProjectFile(path);
  if (!project) {
    m_prompter->showError(tr("Cannot open project"), qs(project.message()));
    if (!documentPath.isEmpty()) m_recent->remove(documentPath);
    return false;
  }
  m_document->reset(std::move(*project),
                    documentPath.isEmpty() ? QString() : QFileInfo(documentPath).absoluteFilePath());
  m_autosaver->discard();
  if (!documentPath.isEmpty()) m_recent->add(documentPath);
  Q_EMIT projectOpened();
  Q_EMIT statusMessage(tr("Opened %1.").arg(m_document->displayName()));
  return true;
}

bool ProjectController::save() { return m_document->filePath().isEmpty() ? saveAs() : saveTo(m_document->filePath()); }

bool ProjectController::saveAs() {
  QString suggestion =
      m_document->filePath().isEmpty() ? m_document->displayName() : QFileInfo(m_document->filePath()).fileName();
  if (!suggestion.endsWith(QStringLiteral(".ffnlab"))) suggestion += QStringLiteral(".ffnlab");
  const QString path = m_prompter->askSavePath(suggestion);
  return !path.isEmpty() && saveTo(path);
}

bool ProjectController::saveTo(const QString& path) {
  const Status status = writeProjectFile(m_document->project(), path);
  if (!status) {
    m_prompter->showError(tr("Cannot save project"), qs(status.message()));
    return false;
  }
  m_document->markSaved(QFileInfo(path).absoluteFilePath());
  m_autosaver->discard();
  m_recent->add(path);
  Q_EMIT statusMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
  return true;
}

bool ProjectController::importOnnxModel() {
  if (!confirmDiscard()) return false;
  const QString model = m_prompter->askImportPath(tr("ONNX models (*.onnx)"));
  if (model.isEmpty()) return false;
  auto imported = readOnnx(model.toStdString());
  if (!imported) {
    m_prompter->showError(tr("Cannot import ONNX model"), qs(imported.message()));
    return false;
  }
  // The weights need a home beside a project file, so the imported model is saved as a project right away.
  const QString path = m_prompter->askSavePath(QFileInfo(model).completeBaseName() + QStringLiteral(".ffnlab"));
  if (path.isEmpty()) return false;
  Status status = writeSafetensors(defaultWeightsPath(path.toStdString()), imported->weights, {{"source", "onnx"}});
  if (status) status = writeProjectFile(imported->project, path);
  if (!status) {
    m_prompter->showError(tr("Cannot save the imported model"), qs(status.message()));
    return false;
  }
  if (!load(path, path)) return false;
  QString notes;
  for (const auto& note : imported->notes) notes += QStringLiteral(" ") + qs(note) + QStringLiteral(".");
  Q_EMIT statusMessage(tr("Imported %1; choose its data before training.%2").arg(QFileInfo(model).fileName(), notes));
  return true;
}

bool ProjectController::exportOnnxModel() {
  if (m_document->filePath().isEmpty() || m_document->isModified()) {
    m_prompter->showError(tr("Cannot export ONNX model"),
                          tr("Save the project first: the model is exported with the weights trained for the saved "
                             "project."));
    return false;
  }
  const std::string projectPath = m_document->filePath().toStdString();
  const QString weights = qs(defaultWeightsPath(projectPath));
  if (!QFileInfo::exists(weights)) {
    m_prompter->showError(tr("Cannot export ONNX model"),
                          tr("There are no trained weights at %1: train the network first.").arg(weights));
    return false;
  }
  const QString out =
      m_prompter->askExportPath(QFileInfo(m_document->filePath()).completeBaseName() + QStringLiteral(".onnx"),
                                tr("ONNX models (*.onnx)"));
  if (out.isEmpty()) return false;
  const Status status = exportProjectOnnx(m_document->project(), weights.toStdString(), out.toStdString());
  if (!status) {
    m_prompter->showError(tr("Cannot export ONNX model"), qs(status.message()));
    return false;
  }
  Q_EMIT statusMessage(tr("Exported %1 (ONNX opset %2).").arg(QDir::toNativeSeparators(out)).arg(kOnnxOpset));
  return true;
}

bool ProjectController::offerRecovery() {
  const auto orphans = m_autosaver->orphans();
  if (orphans.empty()) return false;
  const Autosaver::Recovery& newest = orphans.front();
  const QString when = QLocale().toString(newest.savedAt, QLocale::ShortFormat);
  const QString details =
      tr("FFN Lab did not close properly last time. Unsaved changes to “%1” from %2 were kept.\n\nRecover them?")
          .arg(newest.name, when);
  bool recovered = false;
  if (m_prompter->askToRecover(details)) {
    auto project = Autosaver::load(newest);
    if (project) {
      m_document->reset(std::move(*project), newest.originalPath);
      m_document->markModified();    // the recovered work is not in any file yet
      (void)m_autosaver->saveNow();  // keep it safe until the person saves
      recovered = true;
      Q_EMIT projectOpened();
      Q_EMIT statusMessage(tr("Recovered unsaved changes to %1. Save them to keep them.").arg(newest.name));
    } else {
      m_prompter->showError(tr("Cannot recover"), qs(project.message()));
    }
  }
  // Answered either way: older leftovers are not offered again.
  for (const Autosaver::Recovery& orphan : orphans) Autosaver::remove(orphan);
  return recovered;
}

}  // namespace ffn::views
