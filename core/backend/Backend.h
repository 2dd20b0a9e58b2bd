#pragma once
// Backend: the small set of compute ops every layer, loss, optimiser and rule is written in. CpuBackend
// implements all of them (Eigen + OpenBLAS); a device backend implements what its device does well and
// reports the rest through supportsOp(), which then runs on the CPU over the same tensors: a Tensor moves
// its data between host and device by itself, so a caller never knows where an op ran.
//
// Matrix arguments are TensorViews read as [rows, cols] (the first dimension against the product of the rest).
#include <cassert>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/tensor/Tensor.h"

namespace ffn {

enum class Transpose { No, Yes };

// The sizes of c = op(a) * op(b), op(a):[M,K] * op(b):[K,N] -> c:[M,N], checked against each other in debug
// builds; every backend's gemm starts from it.
struct GemmShape {
  std::int64_t m, n, k;
};
inline GemmShape gemmShape(Transpose ta, Transpose tb, const TensorView& a, const TensorView& b,
                           const TensorView& c) {
  const GemmShape shape{c.rows(), c.cols(), ta == Transpose::No ? a.cols() : a.rows()};
  assert((ta == Transpose::No ? a.rows() : a.cols()) == shape.m);
  assert((tb == Transpose::No ? b.rows() : b.cols()) == shape.k);
  assert((tb == Transpose::No ? b.cols() : b.rows()) == shape.n);
  (void)b;  // only the asserts read it
  return shape;
}

enum class ActivationKind { Identity, ReLU, ELU, GELU, Tanh, Sigmoid };

// Every op a backend can be asked for; used by supportsOp() and by the all-ops test.
enum class Op {
  Gemm,
  AddRowVector,
  SumRows,
  ActivationForward,
  ActivationBackward,
  SoftmaxRows,
  SoftmaxBackward,
  SoftmaxCrossEntropy,
  MeanSquaredError,
  Axpy,
  Scale,
  Multiply,
  Copy,
  Fill,
  Sum,
  SumOfSquares,
  AllFinite,
  RowSumOfSquares,
  NormalizeRows,
  NormalizeRowsBackward,
  StabilizedDivide,
  SgdUpdate,
  MomentumUpdate,
  AdamUpdate,
  LayerNormForward,
  LayerNormBackward,
  Im2Col,
  Col2Im,
  ChannelsLastToFirst,
  ChannelsFirstToLast,
  MaxPoolForward,
  MaxPoolBackward,
  AvgPoolForward,
  AvgPoolBackward,
  ScaleRows,
  BasisReluForward,
  BasisReluBackward,
  GatherRows,
  Count
};
const char* opName(Op op);

// Geometry of a 2-D convolution or pooling window over [N, C, H, W] inputs.
struct Window2d {
  std::int64_t channels = 1, height = 0, width = 0;  // input
  std::int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1, padH = 0, padW = 0;
  std::int64_t outHeight() const { return (height + 2 * padH - kernelH) / strideH + 1; }
  std::int64_t outWidth() const { return (width + 2 * padW - kernelW) / strideW + 1; }
};

// The element-wise activation a linear op applies to its output in the same pass (linearForward).
struct FusedActivation {
  ActivationKind kind = ActivationKind::Identity;
  float alpha = 1.0f;  // ELU's negative saturation
  TensorView output;   // receives f(y), the shape of y
};

// A classifier's head in training, for Backend::classifierHead: the output Dense layer on the features after a
// ReLU, softmax cross-entropy against the labels, and the gradient back through that ReLU.
//   features, gate (the ReLU's input):[N,in], weight:[C,in], bias:[C] (invalid: none), labels:[N]
//   -> logits, dlogits:[N,C], gradFeatures:[N,in]
struct ClassifierHead {
  TensorView features, gate, weight, bias, labels;
  float scale = 1.0f;  // dlogits = scale * (softmax - onehot), as softmaxCrossEntropy
  TensorView logits, dlogits, gradFeatures;
};

// A weight tensor inside an update's range, as rows of equal length (a layer's units), its offset counted from
// the range's first element.
struct WeightRows {
  std::int64_t offset = 0, rows = 0, columns = 0;
};

struct AdamSettings {
  float learningRate = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
  float weightDecay = 0.0f;  // decoupled (AdamW) when > 0
  std::int64_t step = 1;     // 1-based, for bias correction
  // The tensors in the range, when known (elements outside them are padding, left alone): a backend may then
  // split the update by their rows as its products split the layers' units, so that each thread updates the
  // weights it reads in the next forward pass (CpuBackend::adamUpdate). Empty: the range is split as it lies.
  std::span<const WeightRows> tensors;
};

// One Adam step in Kingma & Ba's efficient form (the end of their section 2): with m and v updated, each weight
//   p = p * decayFactor - stepSize * m / (sqrt(v) + epsilon),
// both bias corrections folded into the constants: stepSize = lr sqrt(1 - beta2^t) / (1 - beta1^t) and
// epsilon = eps sqrt(1 - beta2^t). That is the same real number as PyTorch's
// p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps), rounded differently, with one division per
// weight instead of two: on the CPU the update of the Fashion-MNIST MLP's 269K weights went from 86 to 73 us.
struct AdamStepConstants {
  float stepSize, epsilon, decayFactor;  // decayFactor: AdamW's 1 - lr * weightDecay, exactly 1 for Adam
};
AdamStepConstants adamStepConstants(const AdamSettings& settings);

struct LossResult {
  double lossSum = 0.0;      // summed over the batch (divide by N for the mean)
  std::int64_t correct = 0;  // argmax matches (classification)
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual bool supportsOp(Op op) const = 0;
  // Problems met since the last call that the user should hear about, one per line (e.g. a device backend that
  // ran out of device memory and ran an op on the CPU instead); empty when all went well. Clears the list.
  virtual std::string takeWarnings() { return {}; }
  // Host work that is not a tensor op (making a training batch) split over this backend's host threads:
  // piece(begin, end) over pieces of [0, count), returning when all are done. The default runs one piece.
  virtual void hostParallel(std::int64_t count, const std::function<void(std::int64_t, std::int64_t)>& piece) {
    if (count > 0) piece(0, count);
  }
  // Independent ops, each a few backend calls that write outputs no other task reads or writes (a layer's weight
  // gradient and its input gradient): a backend may run them side by side instead of one after another. The
  // results are the same either way. The default runs them in order.
  virtual void concurrently(std::span<const std::function<void()>> tasks) {
    for (const auto& task : tasks) task();
  }

  // Products inside a weight-reuse scope (WeightReuseScope below) use their B operand - the weights - unchanged
  // over many calls: LRP and evaluation, where the weights stay while batches pass. A backend may then keep B in
  // a faster layout between calls (the CPU backend packs it when built with AVX-512), always checking that the
  // tensor has not been written since. Inside the scope the last bits of a product may differ from outside it;
  // on the CPU they no longer depend on the batch size or the thread count.
  virtual void beginWeightReuse() {}
  virtual void endWeightReuse() {}

  // c = alpha * op(a) * op(b) + beta * c
  virtual void gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                    float beta, const TensorView& c) = 0;
  // gemm, and whether every element of c came out finite, seen as c was stored (a weight gradient's product:
  // the optimiser then needs no pass of its own over the gradients to refuse NaN). nullopt where the backend
  // cannot tell without such a pass (the default).
  virtual std::optional<bool> gemmCheckingFinite(Transpose ta, Transpose tb, float alpha, const TensorView& a,
                                                 const TensorView& b, float beta, const TensorView& c) {
    gemm(ta, tb, alpha, a, b, beta, c);
    return std::nullopt;
  }
  // y[n, :] += bias                                    y:[N,F], bias:[F]
  virtual void addRowVector(const TensorView& y, const TensorView& bias) = 0;
  // y = x W^T (+ bias), then then->output = f(y) when `then` is given: a Dense layer and the activation after it.
  //   x:[N,in], weight:[units,in], bias:[units] or null -> y:[N,units]
  // The default is gemm, addRowVector and activationForward in turn. CpuBackend applies the bias and f to each
  // block of y right after the block's product, while it is in cache and on the thread that made it: at batch
  // 128 those two ops were separate single-threaded passes in every forward. Same bits either way.
  virtual void linearForward(const TensorView& x, const TensorView& weight, const TensorView* bias,
                             const TensorView& y, const FusedActivation* then);
  // c = a * (s W), element-wise: a Dense map's transpose times a tensor, LRP's last step for a layer
  // (rIn = a * L^T(s)).   s:[N,out], weight:[out,in], a:[N,in] -> c:[N,in]
  // The default is gemm then multiply; CpuBackend multiplies each block of c right after its product (the
  // product then never makes a round trip through memory). Same bits either way.
  virtual void linearTransposeTimes(const TensorView& s, const TensorView& weight, const TensorView& a,
                                    const TensorView& c);
  // c = (a * (s W)) / (z + eps * sign(z)), 0 where that is 0: linearTransposeTimes, then the stabilised division
  // of the layer below (stabilizedDivide), in one pass: relevance leaves a layer already divided for the next
  // one down (the two passes over c cost 3% of an epsilon LRP pass). z:[N,in] like c. Returns false, doing
  // nothing, where the backend has no such pass (the default); the caller then runs the two ops. Same bits.
  virtual bool linearTransposeTimesDivided(const TensorView& s, const TensorView& weight, const TensorView& a,
                                           const TensorView& z, float eps, const TensorView& c) {
    return false;
  }
  // c = gate > 0 ? s W : 0, element-wise: a Dense layer's input gradient carried through the ReLU below it
  // (gate: that ReLU's input), in one pass instead of a product and a ReLU backward over its result.
  //   s:[N,out], weight:[out,in], gate:[N,in] -> c:[N,in]
  // Returns false, doing nothing, where the backend has no such pass (the default); the caller then runs the
  // two ops. The same bits either way.
  virtual bool linearTransposeGated(const TensorView& s, const TensorView& weight, const TensorView& gate,
                                    const TensorView& c) {
    return false;
  }
  // out = beta * out + sum_n x[n, :]                   x:[N,F] -> out:[F]
  virtual void sumRows(const TensorView& x, float beta, const TensorView& out) = 0;

  // y = f(x) and dx = dy * f'(x) (y = f(x) is given for the activations whose derivative uses it).
  virtual void activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) = 0;
  virtual void activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                                  const TensorView& dy, const TensorView& dx) = 0;

  // Row-wise softmax:                                   x:[N,C] -> y:[N,C]
  virtual void softmaxRows(const TensorView& x, const TensorView& y) = 0;
  // dx = y * (dy - sum_c dy*y)                           y,dy:[N,C] -> dx:[N,C]
  virtual void softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) = 0;
  // Cross-entropy of softmax(logits) against class labels (float-coded class ids, [N]); writes
  // dlogits = scale * (softmax - onehot). The loss is summed, not averaged.
  virtual LossResult softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                         const TensorView& dlogits) = 0;
  // The classifier head's forward, loss and input gradient in one pass over the rows (each row needs only its
  // own): logits = features W^T + bias; the loss and dlogits as softmaxCrossEntropy; gradFeatures = gate > 0 ?
  // dlogits W : 0 (linearTransposeGated). nullopt, doing nothing, where the backend has no such pass (the
  // default); the caller then runs linearForward, softmaxCrossEntropy and linearTransposeGated. The same bits
  // either way.
  virtual std::optional<LossResult> classifierHead(const ClassifierHead& head) { return std::nullopt; }
  // 0.5 * sum (out - target)^2 summed over the batch; dout = scale * (out - target). `correct` counts rows
  // whose argmax matches the target's argmax.
  virtual LossResult meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                                      const TensorView& dout) = 0;

  // Element-wise
  virtual void axpy(float alpha, const TensorView& x, const TensorView& y) = 0;  // y += alpha x
  virtual void scale(float alpha, const TensorView& x) = 0;                      // x *= alpha
  virtual void multiply(const TensorView& a, const TensorView& b, const TensorView& out) = 0;  // out = a*b
  virtual void copy(const TensorView& from, const TensorView& to) = 0;
  // out = a - b. The default is copy then axpy (two passes); a - 1*b and a - b are the same number.
  virtual void subtract(const TensorView& a, const TensorView& b, const TensorView& out) {
    copy(a, out);
    axpy(-1.0f, b, out);
  }
  virtual void fill(float value, const TensorView& x) = 0;

  // Reductions (results on the host, in double)
  virtual double sum(const TensorView& x) = 0;
  virtual double sumOfSquares(const TensorView& x) = 0;
  virtual bool allFinite(const TensorView& x) = 0;
  // out[n] = sum_f x[n,f]^2                              x:[N,F] -> out:[N]
  virtual void rowSumOfSquares(const TensorView& x, const TensorView& out) = 0;
  // y[n,:] = x[n,:] / (||x[n,:]|| + eps), norms[n] = ||x[n,:]||
  virtual void normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) = 0;
  // Backward of normalizeRows: dx = (dy - y * <dy, y>_row * ||x||/(||x||+eps)) / (||x|| + eps)
  virtual void normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps,
                                     const TensorView& dy, const TensorView& dx) = 0;
  // LRP's stabilised division: out = r / (z + eps * sign(z)), sign(0) = +1; 0 where the denominator is 0.
  virtual void stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) = 0;
  // y[n,:] = factors[n] * x[n,:] (y may be x)            x:[N,F], factors:[N] -> y:[N,F]
  // Local rules weight each sample's gradient by its own loss derivative (Forward-Forward's goodness).
  virtual void scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) = 0;
  // y[r,:] = x[index[r],:] (y must not overlap x)       x:[M,F], index:[N] (row numbers as floats) -> y:[N,F]
  // Picks the rows a rule needs from a pass it has already made (Forward-Forward's scored copies of a batch).
  virtual void gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) = 0;

  // Optimiser updates over matching parameter / gradient / state views
  virtual void sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) = 0;
  virtual void momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay,
                              const TensorView& grad, const TensorView& velocity, const TensorView& param) = 0;
  virtual void adamUpdate(const AdamSettings& settings, const TensorView& grad, const TensorView& m,
                          const TensorView& v, const TensorView& param) = 0;

  // Layer normalisation over each row; mean/rstd:[N] are kept for the backward pass.
  virtual void layerNormForward(const TensorView& x, float eps, const TensorView& gamma, const TensorView& beta,
                                const TensorView& y, const TensorView& mean, const TensorView& rstd) = 0;
  // dx, and (if valid) dgamma += ..., dbeta += ...
  virtual void layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                                 const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                                 const TensorView& dgamma, const TensorView& dbeta) = 0;

  // Convolution by im2col: x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW] (rows are output pixels).
  virtual void im2col(const Window2d& w, const TensorView& x, const TensorView& cols) = 0;
  // Adjoint of im2col: dx (zeroed first) accumulates cols.
  virtual void col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) = 0;
  // [N, HW, C] <-> [N, C, HW]
  virtual void channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                   const TensorView& to) = 0;
  virtual void channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                   const TensorView& to) = 0;

  // Pooling over [N, C, H, W]; argmax holds the winning input index (within one sample's [C,H,W]) per output.
  virtual void maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y,
                              const TensorView& argmax) = 0;
  virtual void maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                               const TensorView& dx) = 0;
  virtual void avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) = 0;
  virtual void avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) = 0;

  // A two-layer ReLU network y = W2 relu(W1 x + b1) + b2 on inputs that are basis vectors, x_n = e_index[n]
  // (the permutation task's training set). Its weights are stored unit-minor, one column per hidden unit:
  // w1t:[in, m] (W1 transposed), b1:[m], w2:[out, m], b2:[out]; index:[N] holds float-coded positions. Then the
  // first layer's forward is a gather of rows of w1t and its weight gradient a row update: no product with an
  // identity matrix. Both have a host implementation (core/backend/BasisRelu.cpp) that every backend inherits;
  // it works through the units in cache-sized blocks, with the same block order at any thread count.
  //   index:[N] -> out:[N,out]
  virtual void basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                const TensorView& w2, const TensorView& b2, const TensorView& out);
  // Gradients for dL/dout = gradOut:[N,out], written (not added) into dw1t:[in,m], db1:[m], dw2:[out,m], db2:[out].
  virtual void basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                 const TensorView& w2, const TensorView& gradOut, const TensorView& dw1t,
                                 const TensorView& db1, const TensorView& dw2, const TensorView& db2);
};

// Holds a backend's weight-reuse scope open while it lives (scopes nest).
class WeightReuseScope {
 public:
  explicit WeightReuseScope(Backend& backend) : m_backend(backend) { m_backend.beginWeightReuse(); }
  ~WeightReuseScope() { m_backend.endWeightReuse(); }
  WeightReuseScope(const WeightReuseScope&) = delete;
  WeightReuseScope& operator=(const WeightReuseScope&) = delete;

 private:
  Backend& m_backend;
};

}  // namespace ffn
