#pragma once
// The plain values a training run sends from its worker thread to the UI: progress points, pictures rendered on
// the worker (decision boundary, activation maps, weight tiles) and answers to the UI's questions (a sample's
// prediction). Nothing here points into the worker's network or data: the UI thread never touches those.
#include <QImage>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

#include "core/graph/Graph.h"
#include "core/train/Trainer.h"

namespace ffn::views {

enum class RunState { Idle, Preparing, Running, Paused, Finished, Stopped, Failed };
QString runStateText(RunState state);
// The state as kept in a project file's run record: a fixed English word, whatever the UI's language.
std::string runStateKey(RunState state);
// Whether the run can still train (Finished, Stopped and Failed runs keep their network for looking at only).
bool canTrain(RunState state);

// 2-D data, for drawing the points over the decision boundary; coordinates as the network sees them.
struct PlaneData {
  QRectF bounds;  // the plane shown: the points' bounding box with a margin
  std::vector<QPointF> points;
  std::vector<int> labels;
  std::vector<bool> test;  // held out (test split) or seen in training
};

struct ImageSample {
  std::int64_t index = 0;  // in the browsed split
  int label = 0;
  QImage image;            // grey or RGB, the sample's own size
};

struct LayerInfo {
  NodeId node;
  QString label, kind;
};

// Sent once, when the data is loaded and the network is built.
struct RunInfo {
  QString dataDescription;
  std::int64_t stepsPerEpoch = 0;
  int epochs = 0;
  int classes = 0;
  QStringList classNames;
  qint64 weightCount = 0;
  std::vector<LayerInfo> layers;
  std::optional<PlaneData> plane;      // the input is two numbers
  std::vector<ImageSample> samples;    // image data: the first samples of the browsed split
  QString samplesSplit;                // "test" or "train"
  int permutationK = 0;                // the permutation task: its k (the learned matrix is shown)
};

// What a network made of the permutation task's k basis vectors: row i is its output for e_i (the ensemble mean
// for the NTK rule), beside the target P e_i. A bit counts as 1 above `threshold` (the rule's decision).
struct PermutationMatrix {
  int k = 0;
  std::vector<float> values;   // [k, k]
  std::vector<float> targets;  // [k, k], 0/1
  double threshold = 0.5;
  int exactRows = 0;           // rows whose every bit is decided right
};

// The activations of one layer's units over the input plane, one tile per unit.
struct ActivationMaps {
  NodeId node;
  QString title;
  int unitCount = 0;  // all units (tiles may show only the first ones)
  std::vector<QImage> tiles;
  double low = 0.0, high = 0.0;  // the value range the colours span
  bool diverging = false;
};

// The first layer's weights of an image network, one tile per unit, in the input image's shape.
struct WeightTiles {
  NodeId node;
  QString title;
  int unitCount = 0;
  std::vector<QImage> tiles;
};

struct Histogram {
  QString name;
  double low = 0.0, high = 0.0;
  std::vector<int> counts;
};

struct SamplePrediction {
  std::int64_t index = -1;
  int label = 0, predicted = 0;
  std::vector<float> scores;  // per class; probabilities when `probabilities`
  bool probabilities = false;
  QImage heatmap;        // LRP relevance of each pixel for the predicted class (image data); null if none
  QString heatmapError;  // why there is no heatmap
};

// LRP heatmaps of several samples, for the grid.
struct HeatmapGrid {
  QString composite;               // the composite they were drawn with
  std::vector<std::int64_t> indices;
  std::vector<QImage> heatmaps;    // one per index, at the sample's size
  std::vector<int> labels, predicted;
  QString error;                   // why there are none
};

// Pixel flipping (region perturbation) for the current composite: the mean explained score after each of `steps`
// equal steps of replacing pixels by zero, most relevant first (MoRF) and least relevant first (LeRF), and the
// same for a random order. ABPC = area(LeRF) - area(MoRF): higher means a more faithful heatmap.
struct FlippingCurves {
  QString composite;
  int overrides = 0;  // per-node overrides in effect
  std::int64_t samples = 0;
  std::vector<double> morf, lerf, randomMorf, randomLerf;
  double abpc = 0.0, abpcRandom = 0.0;
  QString error;
};

struct RunUpdate {
  std::vector<TrainingProgress> points;
  std::optional<RunState> state;
  QString message;  // why the run failed, or what happened
  std::optional<RunInfo> info;
  std::optional<QImage> boundary;
  std::optional<ActivationMaps> activations;
  std::optional<WeightTiles> weights;
  std::optional<std::vector<Histogram>> weightHistograms, activationHistograms;
  std::optional<SamplePrediction> sample;
  std::optional<HeatmapGrid> grid;
  std::optional<FlippingCurves> flipping;
  std::optional<PermutationMatrix> permutation;

  bool empty() const {
    return points.empty() && !state && !info && !boundary && !activations && !weights && !weightHistograms &&
           !activationHistograms && !sample && !grid && !flipping && !permutation;
  }
};

}  // namespace ffn::views
