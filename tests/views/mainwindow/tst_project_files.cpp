// Projects through the main window: save and reopen give the identical graph and positions; the dirty marker and
// the prompt before losing changes (answered by a FakePrompter); autosave and recovery after a crash; recent
// files; the embedded examples; opening from the command line.
#include <QDir>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "views/document/Autosaver.h"
#include "views/document/NetworkDocument.h"
#include "views/document/ProjectIo.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/RecentFiles.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;
using Choice = Prompter::SaveChoice;

class ProjectFilesTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;

  QString path(const QString& name) const { return m_dir.filePath(name); }

  static std::unique_ptr<MainWindow> window(FakePrompter& prompter) {
    auto w = std::make_unique<MainWindow>(&prompter);
    w->setPersistSettings(false);
    return w;
  }
  // Ends a window without a prompt.
  static void discard(std::unique_ptr<MainWindow>& w, FakePrompter& prompter) {
    prompter.saveAnswers = {Choice::Discard};
    w->close();
    w.reset();
  }

 private Q_SLOTS:
  void initTestCase() {
    isolate(QStringLiteral("tst_project_files"));
    QVERIFY(m_dir.isValid());
  }

  void examplesAreEmbeddedAndTheDefaultOpens() {
    QVERIFY(ProjectController::examples().contains(ProjectController::defaultExample()));
    FakePrompter prompter;
    auto w = window(prompter);
    w->startUp(QString());
    NetworkDocument* doc = w->document();
    QVERIFY(doc->filePath().isEmpty());  // an example opens as an unsaved copy
    QVERIFY(!doc->isModified());
    QVERIFY2(doc->check().ok(), doc->check().firstError().c_str());
    QCOMPARE(doc->graph().nodes().front().kind, std::string("Input"));
    QCOMPARE(doc->graph().nodes().back().kind, std::string("Output"));
    QVERIFY(w->windowTitle().contains(doc->displayName()));
    discard(w, prompter);
  }

  void saveAndReopenGiveTheSameGraph() {
    FakePrompter prompter;
    auto w = window(prompter);
    w->startUp(QString());
    NetworkDocument* doc = w->document();
    QVERIFY(doc->addNode("Dropout", Point{333.5, -12.25}).ok());
    doc->moveNodes({{"dense1", {40, 95}}});
    QVERIFY(doc->setParam("dense2", "units", 24).ok());
    QVERIFY(doc->renameNode("relu1", "first activation").ok());
    QVERIFY(w->isWindowModified());
    const Graph edited = doc->graph();

    prompter.savePath = path("spiral.ffnlab");
    QVERIFY(w->controller()->save());  // untitled: asks where
    QVERIFY(!doc->isModified());
    QVERIFY(!w->isWindowModified());
    QCOMPARE(doc->filePath(), QFileInfo(prompter.savePath).absoluteFilePath());
    QCOMPARE(w->controller()->recentFiles()->paths().value(0), QFileInfo(prompter.savePath).absoluteFilePath());
    discard(w, prompter);

    FakePrompter second;
    auto reopened = window(second);
    reopened->startUp(path("spiral.ffnlab"));  // as `ffnlab PROJECT` does
    QCOMPARE(reopened->document()->graph(), edited);
    QCOMPARE(reopened->document()->graph().node("dropout1")->position, (Point{333.5, -12.25}));
    QVERIFY(!reopened->document()->isModified());
    QCOMPARE(second.errors, QStringList());
    discard(reopened, second);
  }

  void promptBeforeLosingChanges() {
    FakePrompter prompter;
    auto w = window(prompter);
    w->startUp(QString());
    NetworkDocument* doc = w->document();
    QVERIFY(doc->addNode("ReLU", {}).ok());
    const Graph edited = doc->graph();

    prompter.saveAnswers = {Choice::Cancel};
    QVERIFY(!w->controller()->newProject());
    QCOMPARE(prompter.saveQuestions, 1);
    QCOMPARE(doc->graph(), edited);  // cancel keeps everything
    QVERIFY(!w->close());            // closing asks too, and cancel keeps the window
    QCOMPARE(prompter.saveQuestions, 2);

    prompter.saveAnswers = {Choice::Save};
    prompter.savePath = path("kept.ffnlab");
    QVERIFY(w->controller()->newProject());  // save, then the new project
    auto saved = readProjectFile(path("kept.ffnlab"));
    QVERIFY(saved.ok());
    QCOMPARE(saved->graph, edited);
    QCOMPARE(doc->graph().nodes().size(), std::size_t(2));  // the blank project: Input and Output

    QVERIFY(doc->addNode("ReLU", {}).ok());
    prompter.saveAnswers = {Choice::Discard};
    QVERIFY(w->controller()->openExample(ProjectController::defaultExample()));
    QCOMPARE(prompter.saveQuestions, 4);
    QVERIFY(!doc->isModified());

    // An unmodified document is left without a question.
    QVERIFY(w->controller()->newProject());
    QCOMPARE(prompter.saveQuestions, 4);
    QVERIFY(w->close());
  }

  void recoveryAfterACrash() {
    Graph lost;
    {
      FakePrompter prompter;
      auto crashed = window(prompter);
      crashed->startUp(QString());
      QVERIFY(crashed->document()->addNode("Tanh", Point{500, 500}).ok());
      QVERIFY(crashed->document()->setParam("dense3", "units", 7).ok());
      lost = crashed->document()->graph();
      Autosaver* autosaver = crashed->controller()->autosaver();
      QCOMPARE(autosaver->interval(), 60'000);
      QVERIFY(autosaver->saveNow().ok());
      QVERIFY(QFileInfo::exists(autosaver->recoveryFile()));
      QVERIFY(QFileInfo(autosaver->recoveryFile())
                  .absolutePath()
                  .startsWith(QFileInfo(Autosaver::defaultDirectory()).absolutePath()));
      autosaver->simulateCrashForTesting();
      prompter.saveAnswers = {Choice::Discard};
    }  // the window is gone, its recovery file stays

    FakePrompter prompter;
    auto next = window(prompter);
    next->startUp(QString());
    QCOMPARE(prompter.recoverQuestions, 1);
    QVERIFY(prompter.lastRecoverDetails.contains("Spiral"));
    QCOMPARE(next->document()->graph(), lost);
    QVERIFY(next->document()->isModified());  // recovered work is not saved anywhere yet
    QVERIFY(next->windowTitle().contains("[*]"));
    discard(next, prompter);

    // Answered once: not offered again.
    FakePrompter third;
    auto after = window(third);
    after->startUp(QString());
    QCOMPARE(third.recoverQuestions, 0);
    QVERIFY(!after->document()->isModified());
    discard(after, third);
  }

  void declinedRecoveryIsRemoved() {
    {
      FakePrompter prompter;
      auto crashed = window(prompter);
      crashed->startUp(QString());
      QVERIFY(crashed->document()->addNode("Tanh", {}).ok());
      QVERIFY(crashed->controller()->autosaver()->saveNow().ok());
      crashed->controller()->autosaver()->simulateCrashForTesting();
      prompter.saveAnswers = {Choice::Discard};
    }
    FakePrompter prompter;
    prompter.recoverAnswer = false;
    auto next = window(prompter);
    next->startUp(QString());
    QCOMPARE(prompter.recoverQuestions, 1);
    QVERIFY(!next->document()->graph().contains("tanh1"));
    QVERIFY(next->controller()->autosaver()->orphans().empty());
    discard(next, prompter);
  }

  void autosaveOnlyWhileModified() {
    FakePrompter prompter;
    auto w = window(prompter);
    w->startUp(QString());
    Autosaver* autosaver = w->controller()->autosaver();
    QVERIFY(autosaver->saveNow().ok());
    QVERIFY(!QFileInfo::exists(autosaver->recoveryFile()));  // nothing unsaved, nothing written
    QVERIFY(w->document()->addNode("ReLU", {}).ok());
    autosaver->setInterval(50);
    QTRY_VERIFY(QFileInfo::exists(autosaver->recoveryFile()));  // the timer saves
    prompter.savePath = path("saved.ffnlab");
    QVERIFY(w->controller()->save());
    QVERIFY(!QFileInfo::exists(autosaver->recoveryFile()));  // saving removes it
    QVERIFY(w->close());
  }

  void unreadableFileIsReportedAndDroppedFromRecent() {
    FakePrompter prompter;
    auto w = window(prompter);
    w->startUp(QString());
    QFile broken(path("broken.ffnlab"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{ not json");
    broken.close();
    w->controller()->recentFiles()->add(broken.fileName());
    QVERIFY(!w->controller()->openFile(broken.fileName()));
    QCOMPARE(prompter.errors.size(), 1);
    QVERIFY(prompter.errors.first().contains("broken.ffnlab"));
    QVERIFY(!w->controller()->recentFiles()->paths().contains(QFileInfo(broken.fileName()).absoluteFilePath()));
    QVERIFY(w->document()->check().ok());  // the open project is untouched
    QVERIFY(w->close());
  }
};

QTEST_MAIN(ProjectFilesTest)
#include "tst_project_files.moc"
