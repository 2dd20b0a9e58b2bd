// Autosave survives a real kill -9: this test program starts itself again as a child that opens the lab, edits
// the project and waits for its autosave timer to write the recovery file; the parent then kills the child with
// SIGKILL (no destructor, no cleanup, its lock file left behind) and opens the lab again, which must offer the
// child's work back and restore exactly its graph.
#include <QApplication>
#include <QProcess>
#include <QtTest>
#include <csignal>
#include <cstdio>

#include "core/graph/GraphJson.h"
#include "tests/views/ViewTestSupport.h"
#include "views/document/NetworkDocument.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

const QString kProgram = QStringLiteral("tst_autosave_kill");

// The child: edits, lets the timer autosave, reports the graph it saved on stdout, then waits to be killed.
int runChild() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("FFNLabTests"));
  QCoreApplication::setApplicationName(kProgram);
  FakePrompter prompter;
  MainWindow window(&prompter);
  window.setPersistSettings(false);
  window.startUp(QString(), false);
  if (!window.document()->addNode("Tanh", Point{420, 420}).ok()) return 2;
  Autosaver* autosaver = window.controller()->autosaver();
  autosaver->setInterval(20);
  if (!QTest::qWaitFor([&] { return QFileInfo::exists(autosaver->recoveryFile()); }, 10'000)) return 3;
  std::printf("%s\n", graphToJson(window.document()->graph()).dump().c_str());
  std::fflush(stdout);
  QTest::qWait(60'000);  // killed long before this
  return 4;
}

}  // namespace

class AutosaveKillTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { isolate(kProgram); }

  void workSurvivesKillMinus9() {
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child")});
    QVERIFY(child.waitForStarted());
    QVERIFY2(child.waitForReadyRead(20'000), qPrintable(child.readAllStandardError()));
    QTRY_VERIFY_WITH_TIMEOUT(child.canReadLine(), 5'000);
    const std::string saved = child.readLine().trimmed().toStdString();
    child.kill();  // SIGKILL on Unix
    QVERIFY(child.waitForFinished(5'000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    auto expected = graphFromJson(Json::parse(saved));
    QVERIFY(expected.ok());
    QVERIFY(expected->contains("tanh1"));
    FakePrompter prompter;
    MainWindow next(&prompter);
    next.setPersistSettings(false);
    next.startUp(QString());
    QCOMPARE(prompter.recoverQuestions, 1);
    QCOMPARE(next.document()->graph(), *expected);
    QVERIFY(next.document()->isModified());
    prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    QVERIFY(next.close());
  }
};

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc > 1 && QByteArray(argv[1]) == "--child") return runChild();
  AutosaveKillTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_autosave_kill.moc"
