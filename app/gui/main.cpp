// ffnlab: the desktop lab. Composition root only: parses the command line and shows the main window.
//   ffnlab [PROJECT]                       open PROJECT (default: the spiral example)
//   ffnlab --screenshot FILE.png [PROJECT] render the window to FILE.png and exit
//   ffnlab --train [--seconds S] ...       start training at once (with --screenshot: shoot after S seconds)
//   ffnlab --presenter ...                 start in presenter mode
#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "views/canvas/CanvasView.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("FFNLab"));
  QApplication::setApplicationName(QStringLiteral("ffnlab"));
  QApplication::setApplicationDisplayName(QStringLiteral("FFN Lab"));
  QApplication::setApplicationVersion(QStringLiteral(FFN_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QApplication::translate("main", "A laboratory for feed-forward neural networks."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QApplication::translate("main", "Render the main window to FILE (PNG) and exit."),
                                QStringLiteral("FILE"));
  parser.addOption(screenshot);
  QCommandLineOption train(QStringLiteral("train"), QApplication::translate("main", "Start training at once."));
  parser.addOption(train);
  QCommandLineOption seconds(QStringLiteral("seconds"),
                             QApplication::translate("main", "With --screenshot: wait this long before shooting."),
                             QStringLiteral("S"), QStringLiteral("0.3"));
  parser.addOption(seconds);
  QCommandLineOption presenter(QStringLiteral("presenter"), QApplication::translate("main", "Start in presenter mode."));
  parser.addOption(presenter);
  parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "The project to open."),
                               QStringLiteral("[PROJECT]"));
  parser.process(app);
  const QString project = parser.positionalArguments().value(0);

  ffn::views::MainWindow window;
  if (parser.isSet(presenter)) window.setPresenterMode(true);
  if (!parser.isSet(screenshot)) {
    window.show();
    window.startUp(project);
    if (parser.isSet(train)) window.training()->runs()->train();
    return app.exec();
  }

  // Screenshot: a fixed size (so images compare across runs), no recovery question, no saved layout touched.
  window.setPersistSettings(false);
  window.resize(1440, 900);
  window.show();
  window.startUp(project, /*offerRecovery=*/false);
  if (parser.isSet(train)) window.training()->runs()->train();
  int status = 1;
  const int waitMs = std::max(300, static_cast<int>(parser.value(seconds).toDouble() * 1000));
  QTimer::singleShot(waitMs, &window, [&] {
    window.canvas()->frameProject();  // again, now that the window has its final size
    QApplication::processEvents();
    const QString file = parser.value(screenshot);
    status = window.grab().save(file, "PNG") ? 0 : 1;
    if (status != 0) std::fprintf(stderr, "ffnlab: cannot write %s\n", qPrintable(file));
    window.close();
    app.quit();
  });
  app.exec();
  return status;
}
