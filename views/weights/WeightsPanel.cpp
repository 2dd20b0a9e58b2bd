#include "views/weights/WeightsPanel.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "views/heatmap/TileGrid.h"
#include "views/weights/HistogramView.h"

namespace ffn::views {

WeightsPanel::WeightsPanel(QWidget* parent)
    : QWidget(parent),
      m_caption(new QLabel),
      m_tiles(new TileGrid),
      m_weights(new HistogramView(tr("Weights per layer"))),
      m_activations(new HistogramView(tr("Activations per layer (a fixed batch of training samples)"))) {
  m_caption->setWordWrap(true);
  m_tiles->setObjectName(QStringLiteral("weightTiles"));
  m_tiles->setEmptyText(tr("For networks on images, the first layer's weights appear here as pictures."));
  auto* top = new QWidget;
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(m_caption);
  topLayout->addWidget(m_tiles, 1);
  auto* bottom = new QWidget;
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->addWidget(m_weights);
  bottomLayout->addWidget(m_activations);
  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(top);
  splitter->addWidget(bottom);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);
  clear();
}

void WeightsPanel::showTiles(const WeightTiles& tiles) {
  const QString shown = static_cast<int>(tiles.tiles.size()) < tiles.unitCount
                            ? tr("the first %1 of %2 units").arg(tiles.tiles.size()).arg(tiles.unitCount)
                            : tr("all %1 units").arg(tiles.unitCount);
  m_caption->setText(tr("<b>%1</b>: what each unit looks for in the image (%2; red adds, blue subtracts)")
                         .arg(tiles.title.toHtmlEscaped(), shown));
  m_tiles->setTiles(tiles.tiles);
}

void WeightsPanel::showHistograms(const std::vector<Histogram>& weights, const std::vector<Histogram>& activations) {
  if (!weights.empty()) m_weights->setHistograms(weights);
  if (!activations.empty()) m_activations->setHistograms(activations);
}

void WeightsPanel::clear() {
  m_caption->setText(QString());
  m_tiles->clear();
  m_weights->setHistograms({});
  m_activations->setHistograms({});
}

}  // namespace ffn::views
