#include "views/run/RunUpdate.h"

#include <QCoreApplication>

namespace ffn::views {

QString runStateText(RunState state) {
  switch (state) {
    case RunState::Idle: return QCoreApplication::translate("RunState", "Ready");
    case RunState::Preparing: return QCoreApplication::translate("RunState", "Loading data…");
    case RunState::Running: return QCoreApplication::translate("RunState", "Training");
    case RunState::Paused: return QCoreApplication::translate("RunState", "Paused");
    case RunState::Finished: return QCoreApplication::translate("RunState", "Finished");
    case RunState::Stopped: return QCoreApplication::translate("RunState", "Stopped");
    case RunState::Failed: return QCoreApplication::translate("RunState", "Failed");
  }
  return {};
}

std::string runStateKey(RunState state) {
  switch (state) {
    case RunState::Idle: return "idle";
    case RunState::Preparing: return "preparing";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Stopped: return "stopped";
    case RunState::Failed: return "failed";
  }
  return {};
}

bool canTrain(RunState state) {
  return state == RunState::Preparing || state == RunState::Running || state == RunState::Paused;
}

}  // namespace ffn::views
