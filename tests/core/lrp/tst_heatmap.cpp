// Heatmap rendering: the diverging colour maps are centred on zero, each map is normalised symmetrically, grids
// place cells where they should, overlays keep the image where relevance is zero, and a PNG round trip returns
// the same pixels.
#include <QtTest>

#include <filesystem>

#include "core/base/PngFile.h"
#include "core/lrp/Heatmap.h"

using namespace ffn;

class HeatmapTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void colourMapsAreCentredOnZero();
  void mapIsNormalisedSymmetrically();
  void gridPlacesEveryCell();
  void overlayKeepsTheImageWhereRelevanceIsZero();
  void pngRoundTrip();
  void refusesNonImages();
};

void HeatmapTest::colourMapsAreCentredOnZero() {
  auto bwr = ColorMap::named("bwr");
  QVERIFY(bwr.ok());
  QCOMPARE((*bwr)(0.0f), (Rgba{255, 255, 255, 255}));
  QCOMPARE((*bwr)(1.0f), (Rgba{255, 0, 0, 255}));
  QCOMPARE((*bwr)(-1.0f), (Rgba{0, 0, 255, 255}));
  QCOMPARE((*bwr)(5.0f), (*bwr)(1.0f));  // clamped
  // Symmetric: +v is as far from white towards red as -v is towards blue.
  const Rgba plus = (*bwr)(0.4f), minus = (*bwr)(-0.4f);
  QCOMPARE(plus.r, minus.b);
  QCOMPARE(plus.g, minus.g);
  auto hot = ColorMap::named("coldnhot");
  QVERIFY(hot.ok());
  QCOMPARE((*hot)(0.0f), (Rgba{0, 0, 0, 255}));
  QCOMPARE((*hot)(1.0f), (Rgba{255, 255, 0, 255}));
  QVERIFY(!ColorMap::named("jet").ok());
}

void HeatmapTest::mapIsNormalisedSymmetrically() {
  // One row of four pixels: the largest magnitude is negative, so it takes full blue; +2 of -4 is half red.
  const std::vector<float> relevance{0.0f, 2.0f, -4.0f, 4.0f};
  HeatmapStyle style;
  style.scale = 1;
  auto image = renderHeatmap(relevance, Shape{1, 1, 4}, style);
  QVERIFY(image.ok());
  QCOMPARE(image->width, 4);
  QCOMPARE(image->height, 1);
  QCOMPARE(image->at(0, 0), (Rgba{255, 255, 255, 255}));
  QCOMPARE(image->at(2, 0), (Rgba{0, 0, 255, 255}));
  QCOMPARE(image->at(3, 0), (Rgba{255, 0, 0, 255}));
  QCOMPARE(image->at(1, 0), (Rgba{255, 128, 128, 255}));
  // Channels are summed before colouring.
  auto twoChannels = renderHeatmap(std::vector<float>{1.0f, -1.0f, 1.0f, 1.0f}, Shape{2, 1, 2}, style);
  QVERIFY(twoChannels.ok());
  QCOMPARE(twoChannels->at(0, 0), (Rgba{255, 0, 0, 255}));
  QCOMPARE(twoChannels->at(1, 0), (Rgba{255, 255, 255, 255}));
}

void HeatmapTest::gridPlacesEveryCell() {
  // Five 2x3 samples, 3 columns, scale 2, padding 1: 2 rows of cells 6 wide and 4 high.
  Tensor relevance(Shape{5, 1, 2, 3}, 0.0f);
  for (std::int64_t s = 0; s < 5; ++s) relevance.mutableData()[s * 6 + s % 6] = s % 2 ? -1.0f : 1.0f;
  HeatmapStyle style;
  style.scale = 2;
  style.padding = 1;
  auto grid = renderHeatmapGrid(relevance, nullptr, 3, style);
  QVERIFY(grid.ok());
  QCOMPARE(grid->width, 3 * 6 + 4);
  QCOMPARE(grid->height, 2 * 4 + 3);
  for (std::int64_t s = 0; s < 5; ++s) {
    const int left = 1 + static_cast<int>(s % 3) * 7, top = 1 + static_cast<int>(s / 3) * 5;
    const int px = static_cast<int>(s % 6 % 3), py = static_cast<int>(s % 6 / 3);
    const Rgba expected = s % 2 ? Rgba{0, 0, 255, 255} : Rgba{255, 0, 0, 255};
    QCOMPARE(grid->at(left + 2 * px + 1, top + 2 * py + 1), expected);
  }
  QVERIFY(!renderHeatmapGrid(relevance, nullptr, 3, HeatmapStyle{.overlay = true}).ok());  // overlays need inputs
}

void HeatmapTest::overlayKeepsTheImageWhereRelevanceIsZero() {
  const std::vector<float> input{-1.0f, 0.0f, 1.0f};  // min-max scaled: black, mid grey, white
  const std::vector<float> relevance{0.0f, 0.0f, 1.0f};
  HeatmapStyle style;
  style.scale = 1;
  style.overlay = true;
  style.overlayOpacity = 1.0f;
  auto image = renderHeatmap(relevance, Shape{1, 1, 3}, style, input);
  QVERIFY(image.ok());
  QCOMPARE(image->at(0, 0), (Rgba{0, 0, 0, 255}));
  QCOMPARE(image->at(1, 0), (Rgba{128, 128, 128, 255}));
  QCOMPARE(image->at(2, 0), (Rgba{255, 0, 0, 255}));  // full relevance at full opacity: the map's colour
}

void HeatmapTest::pngRoundTrip() {
  Tensor relevance(Shape{3, 1, 5, 4});
  for (std::int64_t i = 0; i < relevance.size(); ++i) relevance.mutableData()[i] = std::sin(0.7f * static_cast<float>(i));
  Tensor inputs = relevance;
  auto grid = renderHeatmapGrid(relevance, &inputs, 2, HeatmapStyle{.showInput = true, .scale = 3});
  QVERIFY(grid.ok());
  const std::string path = (std::filesystem::temp_directory_path() / "ffn_heatmap_test.png").string();
  QVERIFY(writePng(*grid, path).ok());
  auto back = readPng(path);
  QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
  QCOMPARE(back->width, grid->width);
  QCOMPARE(back->height, grid->height);
  QVERIFY(back->pixels == grid->pixels);
  std::filesystem::remove(path);
  QVERIFY(!readPng(path).ok());
}

void HeatmapTest::refusesNonImages() {
  auto flat = renderHeatmapGrid(Tensor(Shape{2, 10}), nullptr, 2, HeatmapStyle{});
  QVERIFY(!flat.ok());
  QVERIFY2(flat.message().find("image inputs [C, H, W]") != std::string::npos, flat.message().c_str());
}

QTEST_APPLESS_MAIN(HeatmapTest)
#include "tst_heatmap.moc"
