// UI benchmark: the main window training Fashion-MNIST (the fmnist-mlp-bp example) with every view live — the
// charts, the dataset browser with a selected sample's prediction and LRP heatmap, the weight tiles and
// histograms. Measures the time from Train to the first chart point (data loading included, and without it: from
// the run's data being ready), and the UI thread's event-loop latency while training: how late a 5 ms timer
// fires, p50 / p99 / max over --seconds of training. Prints one JSON object; never fails on time.
//   build/tests/bench/bench_ui_latency [--seconds 10] [--threads 1] [--project PATH]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/bench/BenchSupport.h"
#include "tests/views/EventLoopLatency.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"

using namespace ffn;
using namespace ffn::views;

namespace {

// Runs the event loop until `done` holds or `timeoutMs` passes; returns whether it held.
template <typename Predicate>
bool waitFor(Predicate done, int timeoutMs) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  }
  return true;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("FFNLabBench"));
  const double seconds = std::stod(bench::argument(argc, argv, "--seconds", "10"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "1"));
  const std::string project = bench::argument(argc, argv, "--project", ":/examples/fmnist-mlp-bp.ffnlab");

  MainWindow window;
  window.setPersistSettings(false);
  window.resize(1440, 900);
  window.show();
  window.startUp(QString(), false);
  if (!window.controller()->openExample(QString::fromStdString(project))) {
    std::printf("{\"error\": \"cannot open %s\"}\n", project.c_str());
    return 1;
  }
  TrainingViews* views = window.training();
  RunController* runs = views->runs();
  runs->setThreads(threads);
  TrainingSession* session = runs->session();
  QElapsedTimer sincePress, sinceReady;
  bool ready = false;
  QObject::connect(session, &TrainingSession::prepared, [&] {
    ready = true;
    sinceReady.start();
  });

  sincePress.start();
  runs->train();
  const bool first = waitFor([&] { return !session->history().empty(); }, 120000);
  const double firstPointMs = sincePress.nsecsElapsed() / 1e6;
  const double firstPointAfterDataMs = ready ? sinceReady.nsecsElapsed() / 1e6 : -1.0;
  if (!first) {
    std::printf("{\"error\": \"no training step within two minutes\"}\n");
    return 1;
  }
  // A sample selected in the browser: its prediction and heatmap are refreshed as training goes on.
  DatasetBrowser* browser = views->data()->browser();
  browser->selectSample(0);

  std::vector<double> late;
  QElapsedTimer clock;
  clock.start();
  const std::size_t stepsBefore = session->history().size();
  while (clock.elapsed() < seconds * 1000) {
    late.push_back(ffn::test::timerLatenessMs());
  }
  const double trainedSeconds = clock.nsecsElapsed() / 1e9;
  const std::size_t steps = session->history().size() - stepsBefore;
  runs->stop();
  waitFor([&] { return !canTrain(runs->state()); }, 10000);
  const bool heatmap = !browser->heatmap().isNull();

  std::printf(
      "{\"benchmark\": \"ui_latency\", \"project\": \"%s\", \"threads\": %d, \"seconds\": %.1f, "
      "\"train_to_first_point_ms\": %.1f, \"data_ready_to_first_point_ms\": %.1f, \"ticks\": %zu, "
      "\"latency_p50_ms\": %.2f, \"latency_p99_ms\": %.2f, \"latency_max_ms\": %.2f, \"steps\": %zu, "
      "\"steps_per_second\": %.1f, \"heatmap_shown\": %s}\n",
      project.c_str(), threads, trainedSeconds, firstPointMs, firstPointAfterDataMs, late.size(),
      percentile(late, 0.5), percentile(late, 0.99), late.empty() ? 0.0 : *std::max_element(late.begin(), late.end()),
      steps, static_cast<double>(steps) / trainedSeconds, heatmap ? "true" : "false");
  return 0;
}
