// The main window as a whole: every common action has a shortcut and no shortcut is claimed twice (Qt would
// silently run neither); presenter mode hides the editing docks, grows the charts and restores the layout after;
// the title carries the modified marker; File > Examples opens every embedded example (each
// a valid network); the dock layout and window geometry persist; `ffnlab --screenshot` writes a PNG.
#include <QAction>
#include <cstdlib>
#include <QDockWidget>
#include <QMenu>
#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "views/canvas/CanvasView.h"
#include "views/document/NetworkDocument.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

class MainWindowTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_main_window")); }

  void shortcutsAreThereAndUnique() {
    FakePrompter prompter;
    MainWindow window(&prompter);
    window.setPersistSettings(false);
    QMap<QString, QString> owners;  // key sequence -> action text
    for (QAction* action : window.findChildren<QAction*>()) {
      for (const QKeySequence& key : action->shortcuts()) {
        const QString text = key.toString();
        QVERIFY2(!text.isEmpty(), qPrintable(action->text() + " has an empty shortcut"));
        QVERIFY2(!owners.contains(text),
                 qPrintable(text + " is used by both " + owners.value(text) + " and " + action->text()));
        owners.insert(text, action->text());
      }
    }
    for (const char* expected :
         {"Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Shift+S", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+C", "Ctrl+V", "Ctrl+X",
          "Ctrl+D", "Ctrl+A", "Del", "Ctrl+L", "Ctrl+0", "F", "F2", "Ctrl+Q"})
      QVERIFY2(owners.contains(expected), expected);
  }

  void titleShowsTheModifiedMarker() {
    FakePrompter prompter;
    MainWindow window(&prompter);
    window.setPersistSettings(false);
    window.startUp(QString(), false);
    QVERIFY(window.windowTitle().startsWith("Spiral (backprop)[*]"));
    QVERIFY(!window.isWindowModified());
    QVERIFY(window.document()->addNode("ReLU", {}).ok());
    QVERIFY(window.isWindowModified());
    window.document()->undoStack()->undo();
    QVERIFY(!window.isWindowModified());  // back at the saved state
  }

  void examplesMenuOpensEachExample() {
    FakePrompter prompter;
    MainWindow window(&prompter);
    window.setPersistSettings(false);
    window.startUp(QString(), false);
    QMenu* examples = nullptr;
    for (QMenu* menu : window.findChildren<QMenu*>())
      if (menu->title() == "&Examples") examples = menu;
    QVERIFY(examples);
    Q_EMIT examples->aboutToShow();
    QCOMPARE(examples->actions().size(), ProjectController::examples().size());
    for (QAction* action : examples->actions()) {
      action->trigger();
      QVERIFY2(prompter.errors.isEmpty(), qPrintable(prompter.errors.join("\n")));
      QCOMPARE(QString::fromStdString(window.document()->project().name), action->text());
      QVERIFY2(window.document()->check().ok(), window.document()->check().firstError().c_str());
    }
  }

  void layoutAndGeometryPersist() {
    FakePrompter prompter;
    {
      MainWindow window(&prompter);
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      // The window fits a 1000-pixel-wide screen (a classroom projector's): no dock, toolbar or status bar may
      // ask for more. Should one do, the message names the widths each part asks for.
      QString parts;
      for (const QWidget* part : window.findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        if (part->isVisible())
          parts += QStringLiteral(" %1:%2").arg(part->objectName()).arg(part->minimumSizeHint().width());
      const int minimum = window.minimumSizeHint().width();
      QVERIFY2(minimum <= 1000, qPrintable(QString::number(minimum) + parts));
      window.resize(1000, 700);
      window.findChild<QDockWidget*>("historyDock")->hide();
      QVERIFY(window.close());
    }
    MainWindow again(&prompter);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1000, 700));
    QVERIFY(again.findChild<QDockWidget*>("historyDock")->isHidden());
    QVERIFY(!again.findChild<QDockWidget*>("inspectorDock")->isHidden());
    again.setPersistSettings(false);
  }

  void presenterModeMakesRoomAndRestoresTheLayout() {
    FakePrompter prompter;
    MainWindow window(&prompter);
    window.setPersistSettings(false);
    window.resize(1440, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* palette = window.findChild<QDockWidget*>("paletteDock");
    auto* history = window.findChild<QDockWidget*>("historyDock");
    auto* charts = window.findChild<QDockWidget*>("chartsDock");
    QVERIFY(palette && history && charts);
    palette->show();  // layoutAndGeometryPersist left the history hidden in the saved layout
    history->show();
    QTRY_VERIFY(palette->isVisible() && history->isVisible());
    const int normalChartsHeight = charts->height();

    QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(window.presenterMode());
    QTRY_VERIFY(palette->isHidden() && history->isHidden());
    QTRY_VERIFY2(charts->height() > normalChartsHeight + 100,
                 qPrintable(QStringLiteral("charts %1 px tall in presenter mode, %2 before")
                                .arg(charts->height()).arg(normalChartsHeight)));

    QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!window.presenterMode());
    QTRY_VERIFY(!palette->isHidden() && !history->isHidden());
    // Back to its height within a line of text (the toolbars' heights follow the font, which changed twice).
    QTRY_VERIFY2(std::abs(charts->height() - normalChartsHeight) <= 16,
                 qPrintable(QStringLiteral("charts %1 px tall after presenter mode, %2 before")
                                .arg(charts->height()).arg(normalChartsHeight)));
  }

  void screenshotFromTheCommandLine() {
    const QString program = QStringLiteral(FFN_BINARY_DIR "/app/gui/ffnlab");
    if (!QFileInfo::exists(program)) QSKIP("ffnlab is not built");
    QTemporaryDir dir;
    const QString png = dir.filePath("shot.png");
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("QT_QPA_PLATFORM", "offscreen");
    environment.insert("XDG_CONFIG_HOME", dir.filePath("config"));  // leave the real settings alone
    environment.insert("XDG_DATA_HOME", dir.filePath("data"));
    process.setProcessEnvironment(environment);
    process.start(program,
                  {"--screenshot", png, QStringLiteral(FFN_SOURCE_DIR "/resources/examples/spiral-bp.ffnlab")});
    QVERIFY(process.waitForFinished(60'000));
    QCOMPARE(process.exitCode(), 0);
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() / image.devicePixelRatio(), QSize(1440, 900));
  }
};

QTEST_MAIN(MainWindowTest)
#include "tst_main_window.moc"
