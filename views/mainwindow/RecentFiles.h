#pragma once
// RecentFiles: the projects opened or saved last, newest first, kept in QSettings across sessions.
#include <QObject>
#include <QStringList>

namespace ffn::views {

class RecentFiles : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMaximum = 8;

  explicit RecentFiles(QObject* parent = nullptr);

  QStringList paths() const { return m_paths; }
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

 Q_SIGNALS:
  void changed();

 private:
  void store();

  QStringList m_paths;
};

}  // namespace ffn::views
