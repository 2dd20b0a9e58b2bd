#pragma once
// How late the UI thread's event loop runs a 5 ms timer: one sample of the responsiveness measure shared by the
// training-run test (a generous bound) and bench_ui_latency (p50/p99). Late = wall time minus the 5 ms asked.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>

namespace ffn::test {

inline double timerLatenessMs() {
  constexpr int kIntervalMs = 5;
  QElapsedTimer tick;
  tick.start();
  QEventLoop loop;
  QTimer::singleShot(kIntervalMs, &loop, &QEventLoop::quit);
  loop.exec();
  return std::max(0.0, static_cast<double>(tick.nsecsElapsed()) / 1e6 - kIntervalMs);
}

}  // namespace ffn::test
