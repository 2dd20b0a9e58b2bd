#pragma once
// HistogramView: a row of small histograms, one per layer — how a layer's weights (or activations) are spread,
// and how that spread changes as the network trains: dead ReLUs pile up at 0, exploding weights spread out.
#include <QWidget>
#include <vector>

#include "views/run/RunUpdate.h"

namespace ffn::views {

class HistogramView : public QWidget {
  Q_OBJECT

 public:
  explicit HistogramView(const QString& title, QWidget* parent = nullptr);
  void setHistograms(std::vector<Histogram> histograms);
  const std::vector<Histogram>& histograms() const { return m_histograms; }
  QSize sizeHint() const override { return {480, 130}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString m_title;
  std::vector<Histogram> m_histograms;
};

}  // namespace ffn::views
