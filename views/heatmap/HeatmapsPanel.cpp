#include "views/heatmap/HeatmapsPanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "views/charts/MetricChart.h"
#include "views/heatmap/TileGrid.h"

namespace ffn::views {
namespace {

constexpr int kDefaultGrid = 16;
constexpr int kMaxGrid = 64;
constexpr int kMinimumTile = 64;  // px: a 28 x 28 heatmap at a bit over 2x, big enough to see its strokes

QList<QPointF> curvePoints(const std::vector<double>& curve) {
  QList<QPointF> points;
  const double steps = curve.size() > 1 ? static_cast<double>(curve.size() - 1) : 1.0;
  for (std::size_t k = 0; k < curve.size(); ++k) points.append(QPointF(static_cast<double>(k) / steps, curve[k]));
  return points;
}

}  // namespace

HeatmapsPanel::HeatmapsPanel(QWidget* parent)
    : QWidget(parent),
      m_class(new QComboBox),
      m_count(new QSpinBox),
      m_export(new QPushButton(tr("Export PNG…"))),
      m_grid(new TileGrid),
      m_caption(new QLabel),
      m_chart(new MetricChart(tr("Pixel flipping (dashed: random order)"))),
      m_evaluate(new QPushButton(tr("Evaluate"))),
      m_abpc(new QLabel) {
  m_class->setObjectName(QStringLiteral("gridClass"));
  // Narrow enough that the panel, tabbed beside the data, leaves the window fitting a 1000-pixel screen.
  m_class->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_class->setMinimumContentsLength(10);
  m_count->setObjectName(QStringLiteral("gridCount"));
  m_count->setRange(1, kMaxGrid);
  m_count->setValue(kDefaultGrid);
  m_count->setToolTip(tr("How many samples the grid shows"));
  m_grid->setObjectName(QStringLiteral("heatmapGrid"));
  m_grid->setMinimumTileSize(kMinimumTile);
  m_grid->setEmptyText(tr("Train or step a network on image data: the LRP heatmaps of many samples appear here."));
  m_caption->setWordWrap(true);
  m_caption->setForegroundRole(QPalette::PlaceholderText);
  m_chart->setAxisTitles(tr("fraction of pixels flipped"), tr("class score"));
  m_chart->setObjectName(QStringLiteral("flippingChart"));
  m_chart->setEmptyText(tr("Press Evaluate: the pixel-flipping curves of the current weights and composite."));
  m_evaluate->setObjectName(QStringLiteral("evaluateFlipping"));
  m_evaluate->setToolTip(tr("Pixel flipping over the first %1 samples with the current weights and composite "
                            "(what ffnlab-cli attribution-eval measures)")
                             .arg(kFlippingSamples));
  m_abpc->setWordWrap(true);
  m_abpc->setObjectName(QStringLiteral("abpc"));
  connect(m_class, &QComboBox::activated, this, &HeatmapsPanel::requestGrid);
  connect(m_count, &QSpinBox::valueChanged, this, &HeatmapsPanel::requestGrid);
  connect(m_evaluate, &QPushButton::clicked, this, [this] {
    m_abpc->setText(tr("Measuring on the training thread…"));
    Q_EMIT evaluationRequested(kFlippingSamples);
  });
  connect(m_export, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Heatmaps"), QStringLiteral("heatmaps.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    Q_EMIT statusMessage(exportGrid(path) ? tr("Heatmaps saved to %1").arg(path) : tr("Could not write %1").arg(path));
  });

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(m_class, 1);
  bar->addWidget(m_count);
  leftLayout->addLayout(bar);
  leftLayout->addWidget(m_caption);
  auto* scroll = new QScrollArea;  // tiles keep a readable size: what does not fit the dock scrolls
  scroll->setWidget(m_grid);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  leftLayout->addWidget(scroll, 1);
  auto* exportRow = new QHBoxLayout;
  exportRow->addWidget(m_export);
  exportRow->addStretch(1);
  leftLayout->addLayout(exportRow);
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(m_chart, 1);
  auto* row = new QHBoxLayout;
  row->addWidget(m_evaluate);
  row->addWidget(m_abpc, 1);
  rightLayout->addLayout(row);
  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(left);
  splitter->addWidget(right);
  splitter->setSizes({3000, 2000});  // three fifths of the width for the heatmaps, the rest for the curves
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);
  clear();
}

void HeatmapsPanel::setSamples(const std::vector<ImageSample>& samples, const QStringList& classNames) {
  m_samples = samples;
  m_classNames = classNames;
  m_last = HeatmapGrid{};
  m_grid->clear();
  m_chart->clear();
  m_caption->clear();
  m_class->clear();
  m_class->addItem(tr("all classes"), -1);
  for (int c = 0; c < classNames.size(); ++c) m_class->addItem(classNames[c], c);
  m_class->setEnabled(!samples.empty());
  m_count->setEnabled(!samples.empty());
  m_evaluate->setEnabled(!samples.empty());
  m_abpc->setText(samples.empty()
                      ? QString()
                      : tr("Evaluate: how fast the score falls when the pixels the heatmap marks go first."));
  if (!samples.empty()) requestGrid();
}

std::vector<std::int64_t> HeatmapsPanel::gridSamples() const {
  const int wanted = m_class->currentData().isValid() ? m_class->currentData().toInt() : -1;
  std::vector<std::int64_t> indices;
  for (const ImageSample& sample : m_samples) {
    if (static_cast<int>(indices.size()) >= m_count->value()) break;
    if (wanted < 0 || sample.label == wanted) indices.push_back(sample.index);
  }
  return indices;
}

void HeatmapsPanel::requestGrid() {
  if (m_samples.empty()) return;
  Q_EMIT gridRequested(gridSamples());
}

void HeatmapsPanel::showGrid(const HeatmapGrid& grid) {
  if (!grid.error.isEmpty()) {
    m_caption->setText(tr("No heatmaps: %1").arg(grid.error));
    return;
  }
  m_last = grid;
  QStringList captions;
  for (std::size_t i = 0; i < grid.indices.size(); ++i) {
    auto name = [this](int c) { return c >= 0 && c < m_classNames.size() ? m_classNames[c] : QString::number(c); };
    captions << (grid.labels[i] == grid.predicted[i]
                     ? name(grid.predicted[i])
                     : tr("%1 ≠ %2").arg(name(grid.predicted[i]), name(grid.labels[i])));
  }
  m_caption->setText(tr("LRP (%1) for the predicted class: red pixels spoke for it, blue against; a caption "
                        "“a ≠ b” is a wrong prediction a of a b.")
                         .arg(grid.composite));
  m_grid->setTiles(grid.heatmaps, captions);
}

void HeatmapsPanel::showFlipping(const FlippingCurves& curves) {
  ++m_flippingUpdates;
  m_chart->clear();
  if (!curves.error.isEmpty()) {
    m_abpc->setText(tr("No curves: %1").arg(curves.error));
    return;
  }
  const QColor morf(200, 40, 40), lerf(40, 80, 200);
  // The legend names the two orders (the full names show on hover); the title says the dashed lines are the
  // random orders: four long names side by side did not fit the chart's width and were cut.
  const auto style = [](const QString& name, const QString& legend, QColor colour, bool random) {
    return LineStyle{name, colour, random ? Qt::DashLine : Qt::SolidLine, random, !random, legend};
  };
  m_chart->appendPoints(QStringLiteral("morf"), style(tr("MoRF (most relevant first)"), tr("MoRF"), morf, false),
                        curvePoints(curves.morf));
  m_chart->appendPoints(QStringLiteral("lerf"), style(tr("LeRF (least relevant first)"), tr("LeRF"), lerf, false),
                        curvePoints(curves.lerf));
  m_chart->appendPoints(QStringLiteral("morf-random"), style(tr("MoRF, random order"), QString(), morf, true),
                        curvePoints(curves.randomMorf));
  m_chart->appendPoints(QStringLiteral("lerf-random"), style(tr("LeRF, random order"), QString(), lerf, true),
                        curvePoints(curves.randomLerf));
  const QString overrides =
      curves.overrides > 0 ? tr(" with %n node override(s)", nullptr, curves.overrides) : QString();
  m_abpc->setText(tr("<b>ABPC %1</b> against %2 for a random order — %3%4, %5 samples. Higher is more faithful.")
                      .arg(curves.abpc, 0, 'f', 3)
                      .arg(curves.abpcRandom, 0, 'f', 3)
                      .arg(curves.composite)
                      .arg(overrides)
                      .arg(curves.samples));
}

void HeatmapsPanel::clear() { setSamples({}, {}); }

bool HeatmapsPanel::exportGrid(const QString& path) const {
  if (m_grid->tiles().empty()) return false;
  return m_grid->render().save(path, "PNG");
}

void HeatmapsPanel::setPresenterMode(bool on) { m_chart->setPresenterMode(on); }

}  // namespace ffn::views
