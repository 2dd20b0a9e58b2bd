#pragma once
// DatasetBrowser: image data as a class sees it — a grid of samples with their labels, filtered by class, and for
// the selected sample a large picture, its label, the network's prediction and its score for every class (kept
// fresh as training goes on) with its LRP heatmap, under the project's composite and per-node rules (edited here).
// The pictures and predictions come from the training thread.
#include <QWidget>

#include "views/run/RunUpdate.h"
#include "views/style/QuietLabel.h"

class QComboBox;
class QLabel;
class QListWidget;

namespace ffn::views {

class LrpSettingsBar;
class NetworkDocument;
class ScoreBars;

class DatasetBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetBrowser(NetworkDocument* document, QWidget* parent = nullptr);

  void setSamples(const std::vector<ImageSample>& samples, const QStringList& classNames, const QString& split);
  void showPrediction(const SamplePrediction& prediction);
  void clear();
  // Only samples of this class (-1: all).
  void setClassFilter(int classIndex);
  void selectSample(std::int64_t index);
  std::int64_t selectedSample() const { return m_selected; }
  QListWidget* list() const { return m_list; }
  QComboBox* classFilter() const { return m_filter; }
  QLabel* predictionLabel() const { return m_prediction->label(); }
  ScoreBars* scores() const { return m_scores; }
  LrpSettingsBar* lrpBar() const { return m_lrp; }
  QComboBox* compositeBox() const;
  QLabel* heatmapLabel() const { return m_heatmap; }
  // The last heatmap shown (null before the first).
  const QImage& heatmap() const { return m_heatmapImage; }
  int visibleCount() const;
  bool saveHeatmap(const QString& path) const;

 Q_SIGNALS:
  // The user picked a sample: the run should predict it (and keep the prediction fresh).
  void sampleSelected(std::int64_t index);
  void statusMessage(const QString& text);

 private:
  std::vector<ImageSample> m_samples;
  QStringList m_classNames;
  std::int64_t m_selected = -1;
  QComboBox* m_filter;
  QListWidget* m_list;
  QLabel* m_picture;
  QLabel* m_title;
  QuietLabel* m_prediction;  // changes with every refresh while training: must not re-lay out the window
  ScoreBars* m_scores;
  LrpSettingsBar* m_lrp;
  QLabel* m_heatmap;
  QImage m_heatmapImage;
};

}  // namespace ffn::views
