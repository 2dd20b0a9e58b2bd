// UI benchmark: the main window training Fashion-MNIST (the fmnist-mlp-bp example) with every view live — the
// charts, the dataset browser with a selected sample's prediction and LRP heatmap, the grid of 16 heatmaps, the
// weight tiles and histograms. Measures the time from Train to the first chart point (data loading included, and
// without it: from the run's data being ready), and the UI thread's event-loop latency: how late a 5 ms timer
// fires, p50 / p99 / max over --seconds of training, beside the same measured idle (no run) in the same process
// first, so the figures can be read against the machine's own noise. Beside the lateness, the UI thread's own CPU
// time per tick (ui_cpu_*): a tick late by much more than that waited for a core rather than for our code; and the
// time the hypervisor took the machine's CPUs away (vm_stolen_ms, from /proc/stat), which inside a VM can show up as
// UI CPU time that no event of ours accounts for (in_events_ms: a worst tick's time inside event delivery).
// Prints one JSON object; never fails on time.
// The times to the first point are medians over --repeats runs (each from Train after a Reset).
// With --slow-ms MS it also lists the events (any nesting depth) the UI thread spent MS or more on during the
// measured training, the slowest first, by receiver class, object name and event type: where a stall comes from.
// A late tick is often several smaller events in one event-loop turn, none of them slow alone: "worst_ticks" lists
// the --worst latest ticks with every top-level event of 0.2 ms or more the UI thread handled while they waited.
//   build/tests/bench/bench_ui_latency [--seconds 10] [--threads 1] [--repeats 3] [--project PATH] [--slow-ms 8]
//                                      [--worst 3] [--epochs 200] [--select-every-ms 0]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "tests/bench/BenchSupport.h"
#include "tests/views/EventLoopLatency.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/document/NetworkDocument.h"
#include "views/heatmap/HeatmapsPanel.h"
#include "views/heatmap/TileGrid.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"

using namespace ffn;
using namespace ffn::views;

namespace {

// A QApplication that times every event it delivers (nested ones too) while `recording`, keeping those that took
// at least `thresholdMs`.
class ProfiledApplication : public QApplication {
 public:
  struct SlowEvent {
    QString receiver;
    int type = 0, depth = 0;
    double ms = 0.0;
    double startMs = 0.0;  // on `clock`
  };
  using QApplication::QApplication;

  bool notify(QObject* receiver, QEvent* event) override {
    if (!recording) return QApplication::notify(receiver, event);
    const int type = event->type();  // the event may be gone when notify returns, the receiver too
    const char* className = receiver->metaObject()->className();
    const QString objectName = receiver->objectName();
    QElapsedTimer clock;
    clock.start();
    ++m_depth;
    const bool handled = QApplication::notify(receiver, event);
    --m_depth;
    const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    const double startMs = static_cast<double>(since.nsecsElapsed()) / 1e6 - ms;
    if (m_depth == 0) topLevelMsTotal += ms;
    const bool isSlow = thresholdMs > 0.0 && ms >= thresholdMs;
    if (!isSlow && !(m_depth == 0 && ms >= kTopLevelMs)) return handled;
    const SlowEvent e{QString::fromLatin1(className) + QLatin1Char('/') + objectName, type, m_depth, ms, startMs};
    if (isSlow) slow.push_back(e);
    if (m_depth == 0 && ms >= kTopLevelMs) topLevel.push_back(e);
    return handled;
  }

  static constexpr double kTopLevelMs = 0.2;
  bool recording = false;
  double thresholdMs = 0.0;
  std::vector<SlowEvent> slow;
  std::vector<SlowEvent> topLevel;  // every top-level event of kTopLevelMs or more
  double topLevelMsTotal = 0.0;     // the time in all top-level events, however short
  QElapsedTimer since;              // started by main

 private:
  int m_depth = 0;
};

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

// CPU time this thread has used, in ms: a tick's share of it is the UI thread's own work in that tick, so a late
// tick with little of it was waiting for a core (another program, or our own threads), not busy in our code.
double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// The UI thread's time in the kernel so far (ms) and its page faults: CPU time in a tick with no event running can
// be the kernel's work (faults, reclaim, interrupts charged to the thread) rather than Qt's or ours.
struct KernelUse {
  double systemMs = 0.0;
  long faults = 0;
};
KernelUse kernelUse() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return {static_cast<double>(usage.ru_stime.tv_sec) * 1e3 + static_cast<double>(usage.ru_stime.tv_usec) / 1e3,
          usage.ru_minflt + usage.ru_majflt};
}

// Time the hypervisor took this virtual machine's CPUs away, in ms, summed over them ("steal" in /proc/stat, in
// 10 ms units; 0 where the kernel does not report it). Inside a VM a descheduled virtual CPU can still count as the
// UI thread's CPU time, so a late tick with CPU time but no slow event is only ours if no steal came with it.
double stolenMs() {
  std::FILE* file = std::fopen("/proc/stat", "r");
  if (!file) return 0.0;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  const int fields = std::fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle,
                                 &iowait, &irq, &softirq, &steal);
  std::fclose(file);
  return fields == 8 ? static_cast<double>(steal) * 10.0 : 0.0;
}

// Per tick of the measurement: when it began (on the application's clock), the UI thread's CPU time in it, and the
// VM's stolen time during it.
struct TickRecord {
  std::vector<double> starts, cpu, stolen;
  std::vector<double> inEvents;  // the part of the tick spent delivering events (ours and Qt's)
  std::vector<double> systemMs;  // the UI thread's CPU time in the kernel
  std::vector<long> faults;      // and its page faults
};

// How late a 5 ms single-shot timer fires, once per tick, for `seconds`; `ticks`, when given, gets each tick's
// record.
std::vector<double> timerLateness(double seconds, const QElapsedTimer& since, TickRecord* ticks = nullptr,
                                  const double* eventMsTotal = nullptr) {
  std::vector<double> late;
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < seconds * 1000) {
    const double stolenBefore = ticks ? stolenMs() : 0.0;
    if (ticks) ticks->starts.push_back(static_cast<double>(since.nsecsElapsed()) / 1e6);
    const double cpuBefore = threadCpuMs();
    const double eventsBefore = eventMsTotal ? *eventMsTotal : 0.0;
    const KernelUse kernelBefore = ticks ? kernelUse() : KernelUse{};
    late.push_back(ffn::test::timerLatenessMs());
    if (ticks) {
      ticks->cpu.push_back(threadCpuMs() - cpuBefore);
      ticks->inEvents.push_back(eventMsTotal ? *eventMsTotal - eventsBefore : 0.0);
      const KernelUse kernelAfter = kernelUse();
      ticks->systemMs.push_back(kernelAfter.systemMs - kernelBefore.systemMs);
      ticks->faults.push_back(kernelAfter.faults - kernelBefore.faults);
      ticks->stolen.push_back(stolenMs() - stolenBefore);
    }
  }
  return late;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  ProfiledApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("FFNLabBench"));
  const double seconds = std::stod(bench::argument(argc, argv, "--seconds", "10"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "1"));
  const std::string project = bench::argument(argc, argv, "--project", ":/examples/fmnist-mlp-bp.ffnlab");
  const int repeats = std::max(1, std::stoi(bench::argument(argc, argv, "--repeats", "3")));
  app.thresholdMs = std::stod(bench::argument(argc, argv, "--slow-ms", "0"));
  const int worst = std::max(0, std::stoi(bench::argument(argc, argv, "--worst", "3")));
  app.since.start();

  MainWindow window;
  window.setPersistSettings(false);
  window.resize(1440, 900);
  window.show();
  window.startUp(QString(), false);
  if (!window.controller()->openExample(QString::fromStdString(project))) {
    std::printf("{\"error\": \"cannot open %s\"}\n", project.c_str());
    return 1;
  }
  // The example trains 5 epochs, over in ~5 s on a fast machine: more, so that the whole measurement is training
  // (the run is stopped after it); --epochs 0 keeps the project's own (its end then falls inside the measurement).
  const int epochs = std::stoi(bench::argument(argc, argv, "--epochs", "200"));
  if (epochs > 0 && !window.document()->setSetting("/training/epochs", epochs, QStringLiteral("epochs"))) {
    std::printf("{\"error\": \"cannot set %d epochs\"}\n", epochs);
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

  const std::vector<double> idle = timerLateness(std::min(seconds, 3.0), app.since);

  // Train to the first chart point, `repeats` times from a reset (the last run goes on training below).
  std::vector<double> firstPoint, firstPointAfterData;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    if (repeat > 0) {
      runs->stop();
      waitFor([&] { return !canTrain(runs->state()); }, 10000);
      runs->reset();
    }
    ready = false;
    sincePress.start();
    runs->train();
    if (!waitFor([&] { return !session->history().empty(); }, 120000)) {
      std::printf("{\"error\": \"no training step within two minutes\"}\n");
      return 1;
    }
    firstPoint.push_back(static_cast<double>(sincePress.nsecsElapsed()) / 1e6);
    firstPointAfterData.push_back(ready ? static_cast<double>(sinceReady.nsecsElapsed()) / 1e6 : -1.0);
  }
  const double firstPointMs = percentile(firstPoint, 0.5);
  const double firstPointAfterDataMs = percentile(firstPointAfterData, 0.5);
  // A sample selected in the browser: its prediction and heatmap are refreshed as training goes on.
  DatasetBrowser* browser = views->data()->browser();
  browser->selectSample(0);

  // Like a student clicking through the samples while the network trains: another sample every --select-every-ms
  // (0: none), each asking the worker for its prediction and heatmap and re-laying out the browser.
  const int selectEveryMs = std::stoi(bench::argument(argc, argv, "--select-every-ms", "0"));
  QTimer selector;
  std::int64_t selections = 0;
  QObject::connect(&selector, &QTimer::timeout, [&] { browser->selectSample(++selections % 100); });
  if (selectEveryMs > 0) selector.start(selectEveryMs);

  QElapsedTimer clock;
  clock.start();
  const std::size_t stepsBefore = session->history().size();
  app.recording = true;
  TickRecord ticks;
  const std::vector<double> late = timerLateness(seconds, app.since, &ticks, &app.topLevelMsTotal);
  const std::vector<double>& tickStarts = ticks.starts;
  const std::vector<double>& tickCpu = ticks.cpu;
  app.recording = false;
  selector.stop();
  const double trainedSeconds = clock.nsecsElapsed() / 1e9;
  const std::size_t steps = session->history().size() - stepsBefore;
  runs->stop();
  waitFor([&] { return !canTrain(runs->state()); }, 10000);
  const bool heatmap = !browser->heatmap().isNull();
  const std::size_t gridTiles = views->heatmaps()->grid()->tiles().size();

  std::sort(app.slow.begin(), app.slow.end(), [](const auto& a, const auto& b) { return a.ms > b.ms; });
  std::string slowEvents;
  for (std::size_t i = 0; i < std::min<std::size_t>(app.slow.size(), 40); ++i) {
    const auto& e = app.slow[i];
    slowEvents += (i ? ", " : "") + QStringLiteral("{\"receiver\": \"%1\", \"event\": %2, \"depth\": %3, "
                                                   "\"ms\": %4}")
                                        .arg(e.receiver)
                                        .arg(e.type)
                                        .arg(e.depth)
                                        .arg(e.ms, 0, 'f', 1)
                                        .toStdString();
  }
  // The latest ticks, each with the top-level events handled while it waited (5 ms plus its lateness).
  std::vector<std::size_t> order(late.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return late[a] > late[b]; });
  std::string worstTicks;
  for (std::size_t k = 0; k < std::min<std::size_t>(order.size(), static_cast<std::size_t>(worst)); ++k) {
    const std::size_t t = order[k];
    const double from = tickStarts[t], to = tickStarts[t] + 5.0 + late[t];
    std::string events;
    for (const auto& e : app.topLevel)
      if (e.startMs + e.ms > from && e.startMs < to)
        events += (events.empty() ? "" : ", ") + QStringLiteral("{\"receiver\": \"%1\", \"event\": %2, \"at_ms\": %3, "
                                                                "\"ms\": %4}")
                                                     .arg(e.receiver)
                                                     .arg(e.type)
                                                     .arg(e.startMs - from, 0, 'f', 1)
                                                     .arg(e.ms, 0, 'f', 1)
                                                     .toStdString();
    worstTicks += (k ? ", " : "") + QStringLiteral("{\"at_s\": %1, \"late_ms\": %2, \"ui_cpu_ms\": %3, "
                                                   "\"in_events_ms\": %4, \"ui_kernel_ms\": %5, \"page_faults\": %6, "
                                                   "\"vm_stolen_ms\": %7, \"events\": [")
                                        .arg((tickStarts[t] - tickStarts.front()) / 1e3, 0, 'f', 2)
                                        .arg(late[t], 0, 'f', 1)
                                        .arg(tickCpu[t], 0, 'f', 1)
                                        .arg(ticks.inEvents[t], 0, 'f', 1)
                                        .arg(ticks.systemMs[t], 0, 'f', 1)
                                        .arg(ticks.faults[t])
                                        .arg(ticks.stolen[t], 0, 'f', 0)
                                        .toStdString() +
                  events + "]}";
  }
  std::printf(
      "{\"benchmark\": \"ui_latency\", \"project\": \"%s\", \"epochs\": %d, \"samples_selected\": %lld, "
      "\"threads\": %d, \"repeats\": %d, \"seconds\": %.1f, "
      "\"train_to_first_point_ms\": %.1f, \"data_ready_to_first_point_ms\": %.1f, \"ticks\": %zu, "
      "\"latency_p50_ms\": %.2f, \"latency_p99_ms\": %.2f, \"latency_max_ms\": %.2f, \"ui_cpu_p99_ms\": %.2f, "
      "\"ui_cpu_max_ms\": %.2f, \"vm_stolen_ms\": %.0f, \"steps\": %zu, "
      "\"steps_per_second\": %.1f, \"heatmap_shown\": %s, \"grid_tiles\": %zu, \"idle_latency_p50_ms\": %.2f, "
      "\"idle_latency_p99_ms\": %.2f, \"p99_training_over_idle\": %.2f, \"slow_events\": [%s], \"worst_ticks\": [%s]}\n",
      project.c_str(), epochs, static_cast<long long>(selections), threads, repeats, trainedSeconds, firstPointMs,
      firstPointAfterDataMs, late.size(),
      percentile(late, 0.5), percentile(late, 0.99), late.empty() ? 0.0 : *std::max_element(late.begin(), late.end()),
      percentile(tickCpu, 0.99), tickCpu.empty() ? 0.0 : *std::max_element(tickCpu.begin(), tickCpu.end()),
      std::accumulate(ticks.stolen.begin(), ticks.stolen.end(), 0.0), steps,
      static_cast<double>(steps) / trainedSeconds, heatmap ? "true" : "false", gridTiles, percentile(idle, 0.5),
      percentile(idle, 0.99), percentile(late, 0.99) / std::max(1e-3, percentile(idle, 0.99)), slowEvents.c_str(), worstTicks.c_str());
  return 0;
}
