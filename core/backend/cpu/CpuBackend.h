#pragma once
// The reference backend: every op, on the host, with Eigen for element-wise work and OpenBLAS for GEMM.
// Its methods are defined by op family in the neighbouring .cpp files (Gemm, Elementwise, Losses, ...).
#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "core/backend/Backend.h"
#include "core/backend/cpu/PackedWeightsCache.h"
#include "core/base/ThreadPool.h"

namespace ffn {

// Threads a new CpuBackend uses by default (0 = all cores). Element-wise ops and reductions are split into
// pieces that depend only on the sizes, so they give the same bits at any thread count. So do products with the
// packed kernel (AVX-512 builds); on OpenBLAS, GEMM blocks follow the thread count, so a different count changes
// results in the last bits (the same count always gives the same).
void setComputeThreads(int threads);
int computeThreads();

class CpuBackend final : public Backend {
 public:
  // threads: 0 = computeThreads(). An ensemble that runs one network per core gives each a 1-thread backend.
  explicit CpuBackend(int threads = 0);
  std::string name() const override { return "cpu"; }
  bool supportsOp(Op) const override { return true; }
  // The threads an op issued now splits over: 1 inside a task of concurrently() (the op then runs on that task's
  // thread), all of the pool's elsewhere.
  int threadCount() const { return m_pool->availableThreads(); }
  // One piece per thread.
  void hostParallel(std::int64_t count, const std::function<void(std::int64_t, std::int64_t)>& piece) override {
    const std::int64_t threads = threadCount();
    parallelRanges(count, std::max<std::int64_t>(1, (count + threads - 1) / threads), piece);
  }
  // With no more threads than tasks, one task per thread, each op inside it unsplit; with more threads, one task
  // after another, each op split over them all. Side by side there is no fork and join per product, no operand
  // packed by both threads and no thread idling on a split's uneven halves: in a Fashion-MNIST MLP step on 2
  // threads the 256-unit layer's backward took 113-116 us instead of 119, the 10-unit layer's 18 instead of 21
  // (the whole epoch 1.03x, paired). The tasks run in order inside a weight-reuse scope (its shared
  // packed-weights cache is filled by one thread at a time) and with OpenBLAS's products, whose last bits depend on
  // how a product is split: side by side only where results cannot change.
  void concurrently(std::span<const std::function<void()>> tasks) override;

  void beginWeightReuse() override { ++m_weightReuse; }
  void endWeightReuse() override { --m_weightReuse; }
  // The packed weights kept for products in a weight-reuse scope (core/backend/cpu/PackedGemm.h).
  const PackedWeightsCache& packedWeights() const { return m_packedWeights; }
  // Whether products outside a weight-reuse scope use the packed kernel too (AVX-512, and FFN_CPU_GEMM is not
  // "openblas"); the bits then do not depend on the thread count.
  bool packsEveryProduct() const { return packed::available() && m_packedProducts; }

  void gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b, float beta,
            const TensorView& c) override;
  std::optional<bool> gemmCheckingFinite(Transpose ta, Transpose tb, float alpha, const TensorView& a,
                                         const TensorView& b, float beta, const TensorView& c) override;
  void addRowVector(const TensorView& y, const TensorView& bias) override;
  void linearForward(const TensorView& x, const TensorView& weight, const TensorView* bias, const TensorView& y,
                     const FusedActivation* then) override;
  void linearTransposeTimes(const TensorView& s, const TensorView& weight, const TensorView& a,
                            const TensorView& c) override;
  bool linearTransposeGated(const TensorView& s, const TensorView& weight, const TensorView& gate,
                            const TensorView& c) override;
  bool linearTransposeTimesDivided(const TensorView& s, const TensorView& weight, const TensorView& a,
                                   const TensorView& z, float eps, const TensorView& c) override;
  void sumRows(const TensorView& x, float beta, const TensorView& out) override;

  void activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) override;
  void activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                          const TensorView& dy, const TensorView& dx) override;
  void softmaxRows(const TensorView& x, const TensorView& y) override;
  void softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) override;
  LossResult softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                 const TensorView& dlogits) override;
  std::optional<LossResult> classifierHead(const ClassifierHead& head) override;
  LossResult meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                              const TensorView& dout) override;

  void axpy(float alpha, const TensorView& x, const TensorView& y) override;
  void scale(float alpha, const TensorView& x) override;
  void multiply(const TensorView& a, const TensorView& b, const TensorView& out) override;
  void subtract(const TensorView& a, const TensorView& b, const TensorView& out) override;
  void copy(const TensorView& from, const TensorView& to) override;
  void fill(float value, const TensorView& x) override;

  double sum(const TensorView& x) override;
  double sumOfSquares(const TensorView& x) override;
  bool allFinite(const TensorView& x) override;
  void rowSumOfSquares(const TensorView& x, const TensorView& out) override;
  void normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) override;
  void normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps, const TensorView& dy,
                             const TensorView& dx) override;
  void stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) override;
  void scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) override;
  void gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) override;

  void sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) override;
  void momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay, const TensorView& grad,
                      const TensorView& velocity, const TensorView& param) override;
  void adamUpdate(const AdamSettings& settings, const TensorView& grad, const TensorView& m, const TensorView& v,
                  const TensorView& param) override;

  // CPU only (ensemble members always train on the host, one per core): Backend::basisReluBackward followed by a
  // plain SGD step — no momentum, weight decay or gradient noise — in one pass over the hidden units and without
  // gradient buffers (core/backend/cpu/BasisReluSgd.cpp). w -= learningRate * scale * dL/dw with scaleW1 for w1t,
  // scaleW2 for w2 and 1 for the biases (the NTK parameterisation's 1/fan_in). One thread: the same bits always.
  // With a valid nextOut, the same pass also writes basisReluForward of the stepped weights there (the same bits),
  // so that the next epoch needs no forward sweep of its own.
  //   gradOut:[N,out] -> w1t:[in,m], b1:[m], w2:[out,m], b2:[out] stepped in place; nextOut:[N,out]
  void basisReluSgdStep(const TensorView& index, const TensorView& gradOut, float learningRate, float scaleW1,
                        float scaleW2, const TensorView& w1t, const TensorView& b1, const TensorView& w2,
                        const TensorView& b2, const TensorView& nextOut = {});

  void layerNormForward(const TensorView& x, float eps, const TensorView& gamma, const TensorView& beta,
                        const TensorView& y, const TensorView& mean, const TensorView& rstd) override;
  void layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                         const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                         const TensorView& dgamma, const TensorView& dbeta) override;

  void im2col(const Window2d& w, const TensorView& x, const TensorView& cols) override;
  void col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) override;
  void channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                           const TensorView& to) override;
  void channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                           const TensorView& to) override;
  void maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y, const TensorView& argmax) override;
  void maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                       const TensorView& dx) override;
  void avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) override;
  void avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) override;

 private:
  // Work done on a block of C (rows [rowBegin, +rows) x columns [colBegin, +cols)) right after its product, by
  // the thread that computed it.
  using GemmEpilogue = std::function<void(std::int64_t rowBegin, std::int64_t rows, std::int64_t colBegin,
                                          std::int64_t cols)>;
  void gemmBlocks(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b, float beta,
                  const TensorView& c, const GemmEpilogue& epilogue);
  // c = op(a) * op(b) (+ c when beta = 1) through the packed kernel (core/backend/cpu/PackedGemm.h), op(b) from
  // the packed-weights cache inside a weight-reuse scope (then a must not be transposed, beta must be 0), packed
  // per call otherwise. False when the product cannot take that path: no AVX-512 in this build, alpha != 1,
  // another beta, or fewer than 8 columns of c.
  // `fused`: element-wise work the kernel does as it stores (before `epilogue`, which runs per block of rows).
  bool packedGemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b, float beta,
                  const TensorView& c, const GemmEpilogue& epilogue, const packed::FusedStore& fused);
  // Whether a product c:[m,n] over k, outside a weight-reuse scope, takes the packed kernel (with alpha 1 and
  // beta 0 or 1): packedGemm's rule, for passes that call the kernel themselves and must give its bits.
  bool packsProduct(std::int64_t m, std::int64_t n, std::int64_t k) const;
  // A product's rows split over the threads: whole tiles of the packed kernel's rows, one share per thread.
  std::int64_t rowsPerShare(std::int64_t rows) const {
    const std::int64_t tileRows = packed::kTileRows, threads = threadCount();
    return ((rows + tileRows - 1) / tileRows + threads - 1) / threads * tileRows;
  }
  // Below this many multiply-adds a product is not worth splitting over threads.
  static constexpr std::int64_t kSplitWork = 1 << 18;
  // An output narrower than a quarter panel (a row sum against a ones vector) would compute mostly padding on
  // the packed kernel.
  static constexpr std::int64_t kNarrowestPacked = packed::PackedMatrix::kPanelColumns / 4;
  // c = s W, then c = combine(other, c) element by element (other:[N,in], like c:[N,in]): in the packed kernel's stores
  // as `fused` says, or else on each block of c right after its product, while it is in cache. The transposed
  // map's products of LRP (times the input) and of backprop (gated by the ReLU below).
  template <typename Combine>
  void transposeProductThen(const TensorView& s, const TensorView& weight, const TensorView& other,
                            const TensorView& c, const packed::FusedStore& fused, Combine combine);

  // The first panel (of PackedMatrix::kPanelColumns columns) of thread t's share when a product's n columns are
  // split in whole panels, balanced by columns: a last panel that is mostly padding counts as what it computes
  // (784 columns, 24.5 panels, went 13:11.5 by panels, 12:12.5 by columns). A layer's forward product splits its
  // units so, and Adam its weights' rows likewise, so that each thread updates the weights it reads next.
  static std::int64_t firstPanelOfShare(std::int64_t n, int t, int threads) {
    constexpr std::int64_t kPanel = packed::PackedMatrix::kPanelColumns;
    return t >= threads ? (n + kPanel - 1) / kPanel : (n * t / threads + kPanel / 2) / kPanel;
  }

  // A grain for element-wise ops whose result does not depend on how they are split (updates, copies, fills,
  // the finiteness test): a few equal pieces per thread, in whole blocks of 1024 floats. A fixed grain left
  // threads idle at the end: 32K split Adam's 269K weights 5:4 over 2 threads.
  std::int64_t balancedGrain(std::int64_t count) const {
    constexpr std::int64_t kMinimum = 1 << 14, kBlock = 1024, kPiecesPerThread = 4;
    const std::int64_t pieces = static_cast<std::int64_t>(threadCount()) * kPiecesPerThread;
    const std::int64_t grain = (count + pieces - 1) / pieces;
    return std::max(kMinimum, (grain + kBlock - 1) / kBlock * kBlock);
  }

  // Calls fn(begin, end) over [0, count) in pieces of `grain` (the last may be shorter), spread over the pool.
  template <typename Fn>
  void parallelRanges(std::int64_t count, std::int64_t grain, Fn&& fn) {
    const std::int64_t pieces = (count + grain - 1) / grain;
    if (pieces <= 1) {
      if (count > 0) fn(std::int64_t{0}, count);
      return;
    }
    m_pool->run(static_cast<int>(pieces), [&](int piece) {
      const std::int64_t begin = piece * grain;
      fn(begin, std::min(count, begin + grain));
    });
  }

  // Sums pieceSum(begin, end) over pieces of `grain`, adding the pieces in order: the same result at any thread
  // count.
  template <typename Fn>
  double sumOverPieces(std::int64_t count, std::int64_t grain, Fn&& pieceSum) {
    std::vector<double> partial(static_cast<std::size_t>(std::max<std::int64_t>((count + grain - 1) / grain, 1)), 0.0);
    parallelRanges(count, grain, [&](std::int64_t begin, std::int64_t end) {
      partial[static_cast<std::size_t>(begin / grain)] = pieceSum(begin, end);
    });
    double total = 0.0;
    for (double p : partial) total += p;
    return total;
  }

  std::unique_ptr<ThreadPool> m_pool;
  int m_weightReuse = 0;  // open weight-reuse scopes
  // Products outside a weight-reuse scope also use the packed kernel, packing op(b) per call (with AVX-512).
  bool m_packedProducts = true;
  PackedWeightsCache m_packedWeights;
};

}  // namespace ffn
