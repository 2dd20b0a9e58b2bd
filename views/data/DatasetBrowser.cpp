#include "views/data/DatasetBrowser.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QVBoxLayout>

#include "views/data/ScoreBars.h"
#include "views/heatmap/LrpSettingsBar.h"
#include "views/style/ColorMaps.h"

namespace ffn::views {
namespace {
constexpr int kThumb = 56;     // browser thumbnails (Fashion-MNIST's 28 pixels, doubled)
constexpr int kPicture = 84;  // the selected sample and its heatmap, one over the other (three times 28)
}  // namespace

DatasetBrowser::DatasetBrowser(NetworkDocument* document, QWidget* parent)
    : QWidget(parent),
      m_filter(new QComboBox),
      m_list(new QListWidget),
      m_picture(new QLabel),
      m_title(new QLabel),
      m_prediction(new QuietLabel(1)),
      m_scores(new ScoreBars),
      m_lrp(new LrpSettingsBar(document)),
      m_heatmap(new QLabel) {
  connect(m_lrp, &LrpSettingsBar::statusMessage, this, &DatasetBrowser::statusMessage);
  m_heatmap->setFixedSize(kPicture, kPicture);
  m_heatmap->setAlignment(Qt::AlignCenter);
  m_heatmap->setWordWrap(true);
  m_heatmap->setObjectName(QStringLiteral("heatmap"));
  m_heatmap->setToolTip(tr("LRP heatmap: red pixels spoke for the predicted class, blue ones against it "
                           "(right-click to save it)"));
  m_heatmap->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* save = new QAction(tr("Save Heatmap as PNG…"), m_heatmap);
  m_heatmap->addAction(save);
  connect(save, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Heatmap"), QStringLiteral("heatmap-%1.png").arg(m_selected), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    Q_EMIT statusMessage(saveHeatmap(path) ? tr("Heatmap saved to %1").arg(path) : tr("Could not write %1").arg(path));
  });
  m_filter->setObjectName(QStringLiteral("classFilter"));
  connect(m_filter, &QComboBox::activated, this, [this](int index) { setClassFilter(index - 1); });
  m_list->setObjectName(QStringLiteral("samples"));
  m_list->setViewMode(QListView::IconMode);
  m_list->setIconSize(QSize(kThumb, kThumb));
  m_list->setGridSize(QSize(kThumb + 10, kThumb + 22));
  m_list->setResizeMode(QListView::Adjust);
  m_list->setMovement(QListView::Static);
  m_list->setUniformItemSizes(true);
  connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (!item) return;
    selectSample(item->data(Qt::UserRole).toLongLong());
  });
  m_picture->setFixedSize(kPicture, kPicture);
  m_picture->setAlignment(Qt::AlignCenter);
  m_title->setWordWrap(true);  // "Click a sample…" before one is chosen; a sample's title is one short line
  m_prediction->label()->setObjectName(QStringLiteral("prediction"));

  // At the window's default size the Data dock is about 540 x 200 pixels: the selected sample's picture over its
  // heatmap, and beside them its title, the prediction and all ten class scores, must fit that without scrolling
  // (a class must see every score at once). So the texts take one line each (the prediction is elided, in full on
  // hovering), the bars are compact rows, and the LRP settings go under the sample list, which can spare the height.
  auto* left = new QVBoxLayout;
  auto* filterRow = new QHBoxLayout;
  filterRow->addWidget(new QLabel(tr("Show")));
  filterRow->addWidget(m_filter, 1);
  left->addLayout(filterRow);
  left->addWidget(m_list, 1);
  left->addWidget(m_lrp);
  auto* pictures = new QVBoxLayout;
  pictures->setSpacing(4);
  // Each picture in a box without a layout: a new pixmap (a heatmap every few hundred milliseconds while training)
  // asks its box to lay out, not the main window with all its docks (see QuietLabel).
  for (QLabel* picture : {m_picture, m_heatmap}) {
    auto* box = new QWidget;
    box->setFixedSize(kPicture, kPicture);
    picture->setParent(box);
    picture->move(0, 0);
    pictures->addWidget(box);
  }
  pictures->addStretch(1);
  auto* verdict = new QVBoxLayout;
  verdict->setSpacing(2);
  verdict->addWidget(m_title);
  verdict->addWidget(m_prediction);
  verdict->addWidget(m_scores);
  verdict->addStretch(1);
  auto* right = new QHBoxLayout;
  right->addLayout(pictures);
  right->addLayout(verdict, 1);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(left, 1);
  layout->addLayout(right, 2);  // the scores' names, bars and values need the room more than the thumbnails
  clear();
}

void DatasetBrowser::clear() { setSamples({}, {}, {}); }

QComboBox* DatasetBrowser::compositeBox() const { return m_lrp->compositeBox(); }

bool DatasetBrowser::saveHeatmap(const QString& path) const {
  // Each input pixel as a 6 x 6 block: a 28-pixel map is too small to see on its own.
  if (m_heatmapImage.isNull()) return false;
  return m_heatmapImage.scaled(m_heatmapImage.size() * 6, Qt::KeepAspectRatio, Qt::FastTransformation)
      .save(path, "PNG");
}

void DatasetBrowser::setSamples(const std::vector<ImageSample>& samples, const QStringList& classNames,
                                const QString& split) {
  m_samples = samples;
  m_classNames = classNames;
  m_selected = -1;
  m_filter->clear();
  // Short enough for the narrow column in presenter mode ("all 1000 test sample(s) shown" was cut off there);
  // the split and count go in the tooltip.
  if (samples.empty()) {
    m_filter->addItem(tr("no samples yet"));
  } else {
    m_filter->addItem(tr("all classes (%1)").arg(samples.size()));
    m_filter->setItemData(0, tr("The first %1 %2 samples, all classes").arg(samples.size()).arg(split),
                          Qt::ToolTipRole);
  }
  for (const QString& name : classNames) m_filter->addItem(name);
  m_list->clear();
  for (const ImageSample& sample : samples) {
    const QString name = sample.label < classNames.size() ? classNames[sample.label] : QString::number(sample.label);
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(sample.image.scaled(kThumb, kThumb))), name, m_list);
    item->setData(Qt::UserRole, static_cast<qlonglong>(sample.index));
    item->setData(Qt::UserRole + 1, sample.label);
    item->setToolTip(tr("#%1: %2").arg(sample.index).arg(name));
  }
  m_picture->setPixmap({});
  m_heatmap->clear();
  m_heatmapImage = QImage();
  m_title->setText(samples.empty() ? tr("Train (or step) a network on image data to browse its samples here.")
                                   : tr("Click a sample to see what the network predicts for it."));
  m_prediction->clear();
  m_scores->clear();
}

int DatasetBrowser::visibleCount() const {
  int count = 0;
  for (int i = 0; i < m_list->count(); ++i) count += m_list->item(i)->isHidden() ? 0 : 1;
  return count;
}

void DatasetBrowser::setClassFilter(int classIndex) {
  m_filter->setCurrentIndex(classIndex + 1);
  for (int i = 0; i < m_list->count(); ++i) {
    QListWidgetItem* item = m_list->item(i);
    item->setHidden(classIndex >= 0 && item->data(Qt::UserRole + 1).toInt() != classIndex);
  }
}

void DatasetBrowser::selectSample(std::int64_t index) {
  if (index == m_selected) return;
  const auto it = std::find_if(m_samples.begin(), m_samples.end(), [index](const ImageSample& s) { return s.index == index; });
  if (it == m_samples.end()) return;
  m_selected = index;
  for (int i = 0; i < m_list->count(); ++i)
    if (m_list->item(i)->data(Qt::UserRole).toLongLong() == index && m_list->currentRow() != i) m_list->setCurrentRow(i);
  m_picture->setPixmap(QPixmap::fromImage(it->image.scaled(kPicture, kPicture, Qt::KeepAspectRatio)));
  const QString name = it->label < m_classNames.size() ? m_classNames[it->label] : QString::number(it->label);
  m_title->setText(tr("Sample #%1 · label: <b>%2</b>").arg(index).arg(name.toHtmlEscaped()));
  m_prediction->setText(tr("Asking the network…"));
  m_heatmap->clear();
  m_heatmapImage = QImage();
  m_scores->clear();
  Q_EMIT sampleSelected(index);
}

void DatasetBrowser::showPrediction(const SamplePrediction& prediction) {
  if (prediction.index != m_selected || prediction.scores.empty()) return;
  const int p = prediction.predicted;
  const QString name = p >= 0 && p < m_classNames.size() ? m_classNames[p] : QString::number(p);
  const bool right = p == prediction.label;
  QString text = tr("Prediction: <b style='color:%1'>%2</b>").arg(classColor(p).name(), name.toHtmlEscaped());
  if (prediction.probabilities) text += tr(" %1 %").arg(100.0 * prediction.scores[static_cast<std::size_t>(p)], 0, 'f', 1);
  text += right ? tr(" · right") : tr(" · wrong");
  m_prediction->setText(text);
  m_scores->setScores(prediction.scores, m_classNames, prediction.label, prediction.probabilities);
  if (!prediction.heatmap.isNull()) {
    m_heatmapImage = prediction.heatmap;
    m_heatmap->setPixmap(QPixmap::fromImage(prediction.heatmap.scaled(kPicture, kPicture, Qt::KeepAspectRatio)));
  } else if (!prediction.heatmapError.isEmpty()) {
    m_heatmap->setText(tr("No heatmap: %1").arg(prediction.heatmapError));
  }
}

}  // namespace ffn::views
