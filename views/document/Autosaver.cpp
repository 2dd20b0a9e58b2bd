#include "views/document/Autosaver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>
#include <algorithm>

#include "views/document/NetworkDocument.h"
#include "views/document/ProjectIo.h"

namespace ffn::views {
namespace {

const QString kPrefix = QStringLiteral("session-");

QString base(const QString& projectFile) { return projectFile.left(projectFile.size() - int(qstrlen(".ffnlab"))); }

}  // namespace

Autosaver::Autosaver(NetworkDocument* document, const QString& directory, QObject* parent)
    : QObject(parent), m_document(document), m_directory(directory.isEmpty() ? defaultDirectory() : directory) {
  QDir().mkpath(m_directory);
  const QString session = kPrefix + QUuid::createUuid().toString(QUuid::WithoutBraces);
  const QString stem = QDir(m_directory).filePath(session);
  m_projectFile = stem + QStringLiteral(".ffnlab");
  m_infoFile = stem + QStringLiteral(".json");
  m_lock = std::make_unique<QLockFile>(stem + QStringLiteral(".lock"));
  (void)m_lock->tryLock(0);  // a fresh name: nobody else holds it
  m_timer.setInterval(kDefaultIntervalMs);
  connect(&m_timer, &QTimer::timeout, this, [this] { (void)saveNow(); });
  m_timer.start();
}

Autosaver::~Autosaver() { discard(); }

QString Autosaver::defaultDirectory() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("recovery"));
}

Status Autosaver::saveNow() {
  if (!m_document->isModified()) {
    discard();
    return {};
  }
  FFN_TRY(writeProjectFile(m_document->project(), m_projectFile));
  QJsonObject info{{QStringLiteral("originalPath"), m_document->filePath()},
                   {QStringLiteral("name"), m_document->displayName()},
                   {QStringLiteral("savedAt"), QDateTime::currentDateTime().toString(Qt::ISODate)}};
  QSaveFile file(m_infoFile);
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(info).toJson()) < 0 || !file.commit())
    return fail("cannot write '", m_infoFile.toStdString(), "': ", file.errorString().toStdString());
  return {};
}

void Autosaver::discard() {
  QFile::remove(m_projectFile);
  QFile::remove(m_infoFile);
}

std::vector<Autosaver::Recovery> Autosaver::orphans() const {
  std::vector<Recovery> found;
  const QDir dir(m_directory);
  for (const QString& name : dir.entryList({kPrefix + QStringLiteral("*.ffnlab")}, QDir::Files)) {
    const QString projectFile = dir.filePath(name);
    if (projectFile == m_projectFile) continue;
    // A lock we can take belongs to no running session (QLockFile also clears locks of dead processes).
    QLockFile lock(base(projectFile) + QStringLiteral(".lock"));
    if (!lock.tryLock(0)) continue;
    lock.unlock();
    Recovery recovery{
        projectFile, base(projectFile) + QStringLiteral(".json"), {}, name, QFileInfo(projectFile).lastModified()};
    QFile infoFile(recovery.infoFile);
    if (infoFile.open(QIODevice::ReadOnly)) {
      const QJsonObject info = QJsonDocument::fromJson(infoFile.readAll()).object();
      recovery.originalPath = info.value(QStringLiteral("originalPath")).toString();
      recovery.name = info.value(QStringLiteral("name")).toString(recovery.name);
      const QDateTime savedAt = QDateTime::fromString(info.value(QStringLiteral("savedAt")).toString(), Qt::ISODate);
      if (savedAt.isValid()) recovery.savedAt = savedAt;
    }
    found.push_back(recovery);
  }
  std::sort(found.begin(), found.end(), [](const Recovery& a, const Recovery& b) { return a.savedAt > b.savedAt; });
  return found;
}

Result<Project> Autosaver::load(const Recovery& recovery) { return readProjectFile(recovery.projectFile); }

void Autosaver::remove(const Recovery& recovery) {
  QFile::remove(recovery.projectFile);
  QFile::remove(recovery.infoFile);
}

void Autosaver::simulateCrashForTesting() {
  m_timer.stop();
  m_lock->unlock();
  m_projectFile.clear();  // so that discard() in the destructor leaves the files
  m_infoFile.clear();
}

}  // namespace ffn::views
