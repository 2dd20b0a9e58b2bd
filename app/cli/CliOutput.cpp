#include "app/cli/CliOutput.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace ffn::cli {

void printResult(const Json& result) {
  std::cout << result.dump() << std::endl;
}

int reportError(const std::string& message) {
  std::cerr << "ffnlab-cli: " << message << std::endl;
  return 1;
}

ProgressPrinter::ProgressPrinter() : m_terminal(isatty(STDERR_FILENO) != 0) {}

namespace {

std::string evalText(const char* name, const EvalStats& stats) {
  char text[96];
  std::snprintf(text, sizeof text, "  %s loss %.4f acc %.4f", name, stats.loss(), stats.accuracy());
  return text;
}

}  // namespace

void ProgressPrinter::update(const TrainingProgress& p) {
  if (m_terminal && (!p.epochEnd && p.elapsedSeconds - m_lastDraw < 0.1)) return;
  m_lastDraw = p.elapsedSeconds;
  const double fraction = static_cast<double>(p.stepInEpoch) / static_cast<double>(std::max<std::int64_t>(p.stepsPerEpoch, 1));
  char line[256];
  if (m_terminal && !p.epochEnd) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::snprintf(line, sizeof line, "\repoch %d/%d [%s] %3.0f%%  loss %.4f", p.epoch, p.epochs, bar.c_str(),
                  100.0 * fraction, p.epochLoss);
    std::cerr << line << std::flush;
    return;
  }
  if (!p.epochEnd) return;
  std::snprintf(line, sizeof line, "%sepoch %d/%d  train loss %.4f", m_terminal ? "\r\033[K" : "", p.epoch, p.epochs,
                p.epochLoss);
  std::string text = line;
  if (p.epochAccuracy >= 0.0) {
    std::snprintf(line, sizeof line, " acc %.4f", p.epochAccuracy);
    text += line;
  }
  if (p.hasValidation) text += evalText("val", p.validation);
  if (p.hasTest) text += evalText("test", p.test);
  std::snprintf(line, sizeof line, "  (%.1f s)", p.elapsedSeconds);
  std::cerr << text << line << std::endl;
}

void ProgressPrinter::finish() {
  if (m_terminal) std::cerr << "\r\033[K" << std::flush;
}

}  // namespace ffn::cli
