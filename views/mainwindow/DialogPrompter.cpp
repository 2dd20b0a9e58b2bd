#include "views/mainwindow/DialogPrompter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

namespace ffn::views {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("DialogPrompter", text); }
QString filter() { return tr("FFN Lab projects (*.ffnlab);;All files (*)"); }
QString lastFolder() { return QSettings().value(QStringLiteral("lastFolder"), QDir::homePath()).toString(); }
void rememberFolder(const QString& path) {
  if (!path.isEmpty()) QSettings().setValue(QStringLiteral("lastFolder"), QFileInfo(path).absolutePath());
}

}  // namespace

Prompter::SaveChoice DialogPrompter::askToSaveChanges(const QString& name) {
  QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                  tr("Save the changes to “%1” before going on?").arg(name),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_parent);
  box.setInformativeText(tr("Without saving, your changes are lost."));
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
    case QMessageBox::Save:
      return SaveChoice::Save;
    case QMessageBox::Discard:
      return SaveChoice::Discard;
    default:
      return SaveChoice::Cancel;
  }
}

bool DialogPrompter::askToRecover(const QString& details) {
  return QMessageBox::question(m_parent, tr("Recover unsaved work?"), details, QMessageBox::Yes | QMessageBox::No,
                               QMessageBox::Yes) == QMessageBox::Yes;
}

QString DialogPrompter::askOpenPath() {
  const QString path = QFileDialog::getOpenFileName(m_parent, tr("Open Project"), lastFolder(), filter());
  rememberFolder(path);
  return path;
}

QString DialogPrompter::askSavePath(const QString& suggestion) {
  QString path =
      QFileDialog::getSaveFileName(m_parent, tr("Save Project As"), QDir(lastFolder()).filePath(suggestion), filter());
  if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".ffnlab");
  rememberFolder(path);
  return path;
}

QString DialogPrompter::askImportPath(const QString& filter) {
  const QString path = QFileDialog::getOpenFileName(m_parent, tr("Import"), lastFolder(), filter);
  rememberFolder(path);
  return path;
}

QString DialogPrompter::askExportPath(const QString& suggestion, const QString& filter) {
  const QString path = QFileDialog::getSaveFileName(m_parent, tr("Export"), QDir(lastFolder()).filePath(suggestion), filter);
  rememberFolder(path);
  return path;
}

void DialogPrompter::showError(const QString& title, const QString& message) {
  QMessageBox::warning(m_parent, title, message);
}

}  // namespace ffn::views
