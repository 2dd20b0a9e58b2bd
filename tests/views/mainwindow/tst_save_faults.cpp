// Saving from the main window when the disk says no: a full disk, a read-only file system, an I/O error on
// flush (injected at the atomic save's steps, since tests run as root and permissions do not stop root) and a
// folder that is really a file. Each time the previous project file stays byte for byte, the message names the
// file and the reason, and the work stays unsaved (modified, with its recovery file) so nothing is lost.
#include <QTemporaryDir>
#include <QtTest>
#include <cerrno>

#include "core/base/AtomicFile.h"
#include "tests/views/ViewTestSupport.h"
#include "views/document/Autosaver.h"
#include "views/document/NetworkDocument.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

Q_DECLARE_METATYPE(ffn::AtomicWriteStep)

namespace {

QByteArray bytesOf(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class SaveFaultsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;

 private Q_SLOTS:
  void initTestCase() {
    isolate(QStringLiteral("tst_save_faults"));
    QVERIFY(m_dir.isValid());
  }
  void cleanup() { setAtomicWriteFaultForTesting({}); }

  void failedSaveKeepsPreviousFileAndSaysWhy_data() {
    QTest::addColumn<AtomicWriteStep>("step");
    QTest::addColumn<int>("err");
    QTest::addColumn<QString>("reason");
    QTest::newRow("disk full") << AtomicWriteStep::Write << ENOSPC << "No space left on device";
    QTest::newRow("read-only folder") << AtomicWriteStep::Create << EROFS << "Read-only file system";
    QTest::newRow("I/O error on flush") << AtomicWriteStep::Sync << EIO << "Input/output error";
  }

  void failedSaveKeepsPreviousFileAndSaysWhy() {
    QFETCH(AtomicWriteStep, step);
    QFETCH(int, err);
    QFETCH(QString, reason);
    const QString file = m_dir.filePath(QStringLiteral("project-%1.ffnlab").arg(err));
    FakePrompter prompter;
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.startUp(QString());
    prompter.savePath = file;
    QVERIFY(w.controller()->saveAs());
    const QByteArray before = bytesOf(file);
    QVERIFY(!before.isEmpty());

    QVERIFY(w.document()->addNode("Tanh", Point{400, 400}).ok());
    Autosaver* autosaver = w.controller()->autosaver();
    QVERIFY(autosaver->saveNow().ok());
    setAtomicWriteFaultForTesting([&](AtomicWriteStep at) { return at == step ? err : 0; });
    QVERIFY(!w.controller()->save());
    setAtomicWriteFaultForTesting({});

    QCOMPARE(bytesOf(file), before);
    const QStringList left = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(left.filter(QStringLiteral("-%1.").arg(err)).size(), 1);  // no temporary file beside it
    QCOMPARE(prompter.errors.size(), 1);
    QVERIFY2(prompter.errors.front().contains(reason) && prompter.errors.front().contains(file),
             qPrintable(prompter.errors.front()));
    QVERIFY(w.document()->isModified());
    QVERIFY(QFileInfo::exists(autosaver->recoveryFile()));

    // Once the disk takes it again, the same save works.
    QVERIFY(w.controller()->save());
    QVERIFY(!w.document()->isModified());
    QVERIFY(bytesOf(file) != before);
  }

  void folderThatIsAFileIsNamed() {
    QFile plain(m_dir.filePath(QStringLiteral("plain")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("a file, not a folder");
    plain.close();
    FakePrompter prompter;
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.startUp(QString());
    prompter.savePath = plain.fileName() + QStringLiteral("/p.ffnlab");
    QVERIFY(!w.controller()->saveAs());
    QCOMPARE(prompter.errors.size(), 1);
    QVERIFY2(prompter.errors.front().contains(QStringLiteral("Not a directory")), qPrintable(prompter.errors.front()));
    QVERIFY(w.document()->filePath().isEmpty());
    QCOMPARE(bytesOf(plain.fileName()), QByteArray("a file, not a folder"));
  }
};

QTEST_MAIN(SaveFaultsTest)
#include "tst_save_faults.moc"
