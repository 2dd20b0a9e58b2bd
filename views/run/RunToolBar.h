#pragma once
// RunToolBar: the run's controls, always in sight — Train, Pause, Step (one batch), Step Epoch, Stop, Reset, a
// speed control for demonstrations (a pause after every step, from none to half a second), and a label saying
// what the run is doing (state, epoch, step, loss) for the status bar. The actions are enabled for what the run
// can do next.
#include <QToolBar>

#include <vector>

#include "core/train/Trainer.h"

class QAction;
class QSlider;

namespace ffn::views {

class QuietLabel;

class RunController;

class RunToolBar : public QToolBar {
  Q_OBJECT

 public:
  struct Actions {
    QAction* train;
    QAction* pause;
    QAction* stepBatch;
    QAction* stepEpoch;
    QAction* stop;
    QAction* reset;
    QAction* copyCli;
  };

  explicit RunToolBar(RunController* runs, QWidget* parent = nullptr);
  const Actions& actions() const { return m_actions; }
  QSlider* speedSlider() const { return m_speed; }
  QuietLabel* statusLabel() const { return m_status; }
  // Delay after each step at a slider position (0 = slowest ... kSpeeds - 1 = as fast as the computer goes).
  static int delayAt(int position);
  static constexpr int kSpeeds = 6;
  // Presenter mode: big icons and text beside them.
  void setPresenterMode(bool on);

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  void updateActions();
  void showProgress();
  void noteEvaluations(const std::vector<TrainingProgress>& points);

  RunController* m_runs;
  Actions m_actions{};
  QSlider* m_speed;
  QuietLabel* m_status;
  QString m_evaluation;  // the newest test (or validation) accuracy, as the status shows it
};

}  // namespace ffn::views
