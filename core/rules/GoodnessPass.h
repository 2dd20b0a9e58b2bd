#pragma once
// GoodnessPass: the forward pass of a Forward-Forward network over several copies of one batch, each copy with its
// own label written into the input (positive labels, wrong labels, the neutral label, or every class in turn).
//
// The copies differ only in the label, so the first layer's big product is shared: with x0 the input with its label
// features cleared and e_r the label part of row r,
//   z1_r = (x0_n W^T + e_r L^T) / ||(x0_n, e_r)|| + b,        n = r mod N,
// where L [d1, C] is the slice of W that reads the label (its first C columns when the label replaces the first C
// features, or a separate tensor when the label comes as C extra inputs). One [N, in] x [in, d1] product serves
// every copy; each copy adds only an [R, C] x [C, d1] one. Deeper layers see their input normalised to unit length,
// h = a / (||a|| + eps), and run on all rows. Goodness G_r = sum_j a_rj^2 is kept per layer and row.
#include <vector>

#include "core/rules/DenseBlocks.h"

namespace ffn {

struct GoodnessLayer {
  Tensor z, a;            // pre-activation (after run() only) and ReLU output   [R, d]
  Tensor h, norms;        // a normalised to unit length, ||a||   [R, d], [R] (when the next layer or a read-out needs it)
  Tensor goodness;        // sum_j a_rj^2                          [R]
};

class GoodnessPass {
 public:
  static constexpr float kEpsilon = 1e-6f;

  // labelWeights/labelGradient: L and its gradient, [d1, C] (possibly strided views into the first layer).
  // replaceFirst: the label replaces the first C input features (they are cleared in x0).
  void configure(std::vector<DenseBlock> blocks, TensorView labelWeights, TensorView labelGradient, int classes,
                 bool replaceFirst);
  std::size_t layerCount() const { return m_blocks.size(); }
  const DenseBlock& block(std::size_t l) const { return m_blocks[l]; }
  const GoodnessLayer& layer(std::size_t l) const { return m_layers[l]; }

  // inputs:[N, in...] -> x0:[N, in] and its squared row norms.
  void setInputs(Backend& backend, const TensorView& inputs);
  std::int64_t batchSize() const { return m_x0.rows(); }
  // The label part of every row, [copies * N, C], for the caller to fill (row r belongs to sample r mod N).
  Tensor& labels(std::int64_t copies);
  // Runs layers [0, layers) on every row; with normalizeLast the last one's h is computed too (for a read-out).
  void run(PassContext& ctx, std::size_t layers, bool normalizeLast);
  // Keeps only the rows `index` (row numbers as floats) of the last run over `layers` layers, in that order, as if
  // run() had been called on those rows alone: every layer's a, goodness (and h where it was computed), the
  // labels and the first layer's input norms. The input x0 stays (row r still belongs to sample r mod N).
  // Forward-Forward scores every label to pick hard negatives; its training rows are among those copies.
  void keepRows(Backend& backend, const Tensor& index, std::size_t layers, bool lastNormalized);
  // Writes (not adds) the gradient of a loss over rows [0, rows) of layer l into the layer's gradient (and L's,
  // for l = 0), given dz = dLoss/dz for those rows.              dz:[rows, d_l]
  void writeGradient(Backend& backend, std::size_t l, const Tensor& dz, std::int64_t rows);

 private:
  std::vector<DenseBlock> m_blocks;
  TensorView m_labelWeights, m_labelGradient;
  int m_classes = 0;
  bool m_replaceFirst = true;
  Tensor m_x0, m_x0Squares;     // [N, in], [N]
  Tensor m_labels;              // [R, C]
  Tensor m_base;                // x0 W^T without bias   [N, d1]
  Tensor m_inverseNorms;        // 1 / (||(x0_n, e_r)|| + eps)   [R]
  Tensor m_scaledDz, m_dzSum;   // first-layer gradient scratch
  std::vector<GoodnessLayer> m_layers;
  Tensor m_kept;                // keepRows scratch
};

}  // namespace ffn
