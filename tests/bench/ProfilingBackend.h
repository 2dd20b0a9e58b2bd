#pragma once
// ProfilingBackend: a Backend that runs every op on another one and, while recording, adds up the seconds each
// kind of op took and keeps the shape of every GEMM. A benchmark wraps the CPU backend in it to break a training
// step down by op (where the time goes besides the products) and to replay exactly the products a step made, alone,
// as the step's floor. Bench-only: the clock reads cost ~50 ns per op, negligible beside our ops.
#include <array>
#include <vector>

#include "core/backend/Backend.h"

namespace ffn::bench {

struct RecordedGemm {
  Transpose ta = Transpose::No, tb = Transpose::No;
  GemmShape shape{};  // op(a):[m,k] * op(b):[k,n] -> c:[m,n]
  float beta = 0.0f;
};

class ProfilingBackend final : public Backend {
 public:
  explicit ProfilingBackend(Backend& inner) : m_inner(inner) {}

  // Starts (clearing what was kept) or stops recording op times and GEMM shapes.
  void record(bool on);
  const std::vector<RecordedGemm>& gemms() const { return m_gemms; }
  double seconds(Op op) const { return m_seconds[static_cast<std::size_t>(op)]; }
  std::int64_t calls(Op op) const { return m_calls[static_cast<std::size_t>(op)]; }
  // Seconds the recorded products take when run again alone on `backend`, each on fresh tensors (median of
  // `repeats` runs of the whole list).
  static double replaySeconds(Backend& backend, const std::vector<RecordedGemm>& gemms, int repeats);

  std::string name() const override { return m_inner.name(); }
  bool supportsOp(Op op) const override { return m_inner.supportsOp(op); }
  std::string takeWarnings() override { return m_inner.takeWarnings(); }
  void hostParallel(std::int64_t count, const std::function<void(std::int64_t, std::int64_t)>& piece) override {
    m_inner.hostParallel(count, piece);
  }
  // linearForward and linearTransposeTimes stay the Backend defaults: their products then pass through gemm()
  // here and are timed and recorded like every other.

  void gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b, float beta,
            const TensorView& c) override;
  void addRowVector(const TensorView& y, const TensorView& bias) override;
  void sumRows(const TensorView& x, float beta, const TensorView& out) override;
  void activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) override;
  void activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                          const TensorView& dy, const TensorView& dx) override;
  void softmaxRows(const TensorView& x, const TensorView& y) override;
  void softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) override;
  LossResult softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                 const TensorView& dlogits) override;
  LossResult meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                              const TensorView& dout) override;
  void axpy(float alpha, const TensorView& x, const TensorView& y) override;
  void scale(float alpha, const TensorView& x) override;
  void multiply(const TensorView& a, const TensorView& b, const TensorView& out) override;
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
  void maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y,
                      const TensorView& argmax) override;
  void maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                       const TensorView& dx) override;
  void avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) override;
  void avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) override;
  void basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1, const TensorView& w2,
                        const TensorView& b2, const TensorView& out) override;
  void basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1, const TensorView& w2,
                         const TensorView& gradOut, const TensorView& dw1t, const TensorView& db1,
                         const TensorView& dw2, const TensorView& db2) override;

 private:
  // Runs work() on the inner backend, timing it under `op` while recording.
  template <typename Work>
  decltype(auto) timed(Op op, Work&& work);

  Backend& m_inner;
  bool m_recording = false;
  std::array<double, static_cast<std::size_t>(Op::Count)> m_seconds{};
  std::array<std::int64_t, static_cast<std::size_t>(Op::Count)> m_calls{};
  std::vector<RecordedGemm> m_gemms;
};

}  // namespace ffn::bench
