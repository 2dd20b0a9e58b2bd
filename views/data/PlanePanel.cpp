#include "views/data/PlanePanel.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "views/data/PlaneView.h"
#include "views/heatmap/TileGrid.h"

namespace ffn::views {

PlanePanel::PlanePanel(QWidget* parent)
    : QWidget(parent), m_plane(new PlaneView), m_maps(new TileGrid), m_caption(new QLabel) {
  m_maps->setSmooth(true);
  m_maps->setObjectName(QStringLiteral("activationMaps"));
  m_caption->setWordWrap(true);
  m_caption->setObjectName(QStringLiteral("activationCaption"));
  auto* side = new QWidget;
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  sideLayout->addWidget(m_caption);
  sideLayout->addWidget(m_maps, 1);
  auto* splitter = new QSplitter;
  splitter->addWidget(m_plane);
  splitter->addWidget(side);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);
  clearActivations();
}

void PlanePanel::showActivations(const ActivationMaps& maps) {
  if (maps.tiles.empty()) {
    m_caption->setText(tr("<b>%1</b> has no units of its own to show; click a layer.").arg(maps.title.toHtmlEscaped()));
    m_maps->clear();
    return;
  }
  QStringList captions;
  for (int unit = 0; unit < static_cast<int>(maps.tiles.size()); ++unit) captions << QString::number(unit + 1);
  const QString shown = static_cast<int>(maps.tiles.size()) < maps.unitCount
                            ? tr("the first %1 of %2 units").arg(maps.tiles.size()).arg(maps.unitCount)
                            : tr("%n unit(s)", nullptr, maps.unitCount);
  const QString colours = maps.diverging ? tr("blue below 0, white 0, red above 0")
                                         : tr("dark 0, bright %1").arg(QString::number(maps.high, 'g', 3));
  m_caption->setText(tr("<b>%1</b>: where each unit fires over the plane (%2; %3)")
                         .arg(maps.title.toHtmlEscaped(), shown, colours));
  m_maps->setTiles(maps.tiles, captions);
}

void PlanePanel::clearActivations() {
  m_caption->setText(tr("Click a layer on the canvas to see where each of its units fires over the plane."));
  m_maps->clear();
}

}  // namespace ffn::views
