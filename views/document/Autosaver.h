#pragma once
// Autosaver: every minute, a document with unsaved changes is written to a recovery file of this session in the
// application's data folder (QStandardPaths::AppDataLocation/recovery). The files go away when the session ends
// normally or the changes are saved. Each session holds a lock file; recovery files whose lock is free at start-up
// belong to a session that crashed, and are offered back (orphans()).
#include <QDateTime>
#include <QLockFile>
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

#include "core/base/Result.h"
#include "core/project/Project.h"

namespace ffn::views {

class NetworkDocument;

class Autosaver : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultIntervalMs = 60'000;

  struct Recovery {
    QString projectFile;   // the autosaved project
    QString infoFile;      // what it was: the original path and name, when it was saved
    QString originalPath;  // empty for a project never saved
    QString name;
    QDateTime savedAt;
  };

  // `directory` empty: the recovery folder under AppDataLocation.
  explicit Autosaver(NetworkDocument* document, const QString& directory = {}, QObject* parent = nullptr);
  ~Autosaver() override;

  static QString defaultDirectory();
  QString directory() const { return m_directory; }
  QString recoveryFile() const { return m_projectFile; }
  void setInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
  int interval() const { return m_timer.interval(); }

  // Writes the recovery file when the document has unsaved changes, and removes it when it has none.
  Status saveNow();
  // Removes this session's recovery file (after a save, or when the session ends normally).
  void discard();

  // Recovery files of sessions that ended without cleaning up, newest first.
  std::vector<Recovery> orphans() const;
  static Result<Project> load(const Recovery& recovery);
  static void remove(const Recovery& recovery);

  // Tests: forget this session as a crash would — release the lock but leave the recovery file.
  void simulateCrashForTesting();

 private:
  NetworkDocument* m_document;
  QString m_directory;
  QString m_projectFile;
  QString m_infoFile;
  std::unique_ptr<QLockFile> m_lock;
  QTimer m_timer;
};

}  // namespace ffn::views
