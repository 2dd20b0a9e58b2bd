#pragma once
// How every ffnlab-cli command talks: progress and tables on stderr (a live progress bar when stderr is a
// terminal), and exactly one JSON object as the last line of stdout, so scripts can read `| tail -n 1`.
#include <string>

#include "core/graph/ParamSpec.h"
#include "core/train/Trainer.h"

namespace ffn::cli {

// Prints the result object as the last stdout line.
void printResult(const Json& result);
// Prints "ffnlab-cli: <message>" on stderr and returns the exit code for failures.
int reportError(const std::string& message);

// Renders training progress on stderr: a redrawn bar on a terminal, one line per epoch otherwise.
class ProgressPrinter {
 public:
  ProgressPrinter();
  void update(const TrainingProgress& p);
  void finish();

 private:
  bool m_terminal;
  double m_lastDraw = -1.0;
};

}  // namespace ffn::cli
