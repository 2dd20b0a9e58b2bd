#include "tests/bench/ProfilingBackend.h"

#include <chrono>

#include "tests/bench/BenchSupport.h"

namespace ffn::bench {
namespace {

// Adds the time from construction to destruction to `seconds` (when recording), whatever the op returns.
class OpClock {
 public:
  OpClock(bool on, double& seconds, std::int64_t& calls) : m_on(on), m_seconds(seconds), m_calls(calls) {
    if (m_on) m_start = std::chrono::steady_clock::now();
  }
  ~OpClock() {
    if (!m_on) return;
    m_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    ++m_calls;
  }
  OpClock(const OpClock&) = delete;
  OpClock& operator=(const OpClock&) = delete;

 private:
  bool m_on;
  double& m_seconds;
  std::int64_t& m_calls;
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace

template <typename Work>
decltype(auto) ProfilingBackend::timed(Op op, Work&& work) {
  const auto i = static_cast<std::size_t>(op);
  OpClock clock(m_recording, m_seconds[i], m_calls[i]);
  return work();
}

void ProfilingBackend::record(bool on) {
  m_recording = on;
  if (!on) return;
  m_seconds.fill(0.0);
  m_calls.fill(0);
  m_gemms.clear();
}

double ProfilingBackend::replaySeconds(Backend& backend, const std::vector<RecordedGemm>& gemms, int repeats) {
  struct Operands {
    Tensor a, b, c;
  };
  std::vector<Operands> operands;
  for (const RecordedGemm& g : gemms) {
    // a and b stored so that op(a):[m,k], op(b):[k,n]
    const auto [m, n, k] = g.shape;
    const Shape a = g.ta == Transpose::No ? Shape{m, k} : Shape{k, m};
    const Shape b = g.tb == Transpose::No ? Shape{k, n} : Shape{n, k};
    operands.push_back({Tensor(a, 0.01f), Tensor(b, 0.01f), Tensor(Shape{m, n})});
  }
  auto all = [&] {
    for (std::size_t i = 0; i < gemms.size(); ++i)
      backend.gemm(gemms[i].ta, gemms[i].tb, 1.0f, operands[i].a, operands[i].b, gemms[i].beta, operands[i].c);
  };
  all();  // warm-up: pages touched, caches filled
  std::vector<double> runs;
  for (int r = 0; r < repeats; ++r) runs.push_back(bench::seconds(all));
  return median(runs);
}

void ProfilingBackend::gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                            float beta, const TensorView& c) {
  if (m_recording)
    m_gemms.push_back({ta, tb, gemmShape(ta, tb, a, b, c), beta});
  timed(Op::Gemm, [&] { m_inner.gemm(ta, tb, alpha, a, b, beta, c); });
}
void ProfilingBackend::addRowVector(const TensorView& y, const TensorView& bias) {
  timed(Op::AddRowVector, [&] { m_inner.addRowVector(y, bias); });
}
void ProfilingBackend::sumRows(const TensorView& x, float beta, const TensorView& out) {
  timed(Op::SumRows, [&] { m_inner.sumRows(x, beta, out); });
}
void ProfilingBackend::activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) {
  timed(Op::ActivationForward, [&] { m_inner.activationForward(kind, alpha, x, y); });
}
void ProfilingBackend::activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                                          const TensorView& dy, const TensorView& dx) {
  timed(Op::ActivationBackward, [&] { m_inner.activationBackward(kind, alpha, x, y, dy, dx); });
}
void ProfilingBackend::softmaxRows(const TensorView& x, const TensorView& y) {
  timed(Op::SoftmaxRows, [&] { m_inner.softmaxRows(x, y); });
}
void ProfilingBackend::softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) {
  timed(Op::SoftmaxBackward, [&] { m_inner.softmaxBackward(y, dy, dx); });
}
LossResult ProfilingBackend::softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                                 const TensorView& dlogits) {
  return timed(Op::SoftmaxCrossEntropy, [&] { return m_inner.softmaxCrossEntropy(logits, labels, scale, dlogits); });
}
LossResult ProfilingBackend::meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                                              const TensorView& dout) {
  return timed(Op::MeanSquaredError, [&] { return m_inner.meanSquaredError(out, target, scale, dout); });
}
void ProfilingBackend::axpy(float alpha, const TensorView& x, const TensorView& y) {
  timed(Op::Axpy, [&] { m_inner.axpy(alpha, x, y); });
}
void ProfilingBackend::scale(float alpha, const TensorView& x) {
  timed(Op::Scale, [&] { m_inner.scale(alpha, x); });
}
void ProfilingBackend::multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
  timed(Op::Multiply, [&] { m_inner.multiply(a, b, out); });
}
void ProfilingBackend::copy(const TensorView& from, const TensorView& to) {
  timed(Op::Copy, [&] { m_inner.copy(from, to); });
}
void ProfilingBackend::fill(float value, const TensorView& x) {
  timed(Op::Fill, [&] { m_inner.fill(value, x); });
}
double ProfilingBackend::sum(const TensorView& x) {
  return timed(Op::Sum, [&] { return m_inner.sum(x); });
}
double ProfilingBackend::sumOfSquares(const TensorView& x) {
  return timed(Op::SumOfSquares, [&] { return m_inner.sumOfSquares(x); });
}
bool ProfilingBackend::allFinite(const TensorView& x) {
  return timed(Op::AllFinite, [&] { return m_inner.allFinite(x); });
}
void ProfilingBackend::rowSumOfSquares(const TensorView& x, const TensorView& out) {
  timed(Op::RowSumOfSquares, [&] { m_inner.rowSumOfSquares(x, out); });
}
void ProfilingBackend::normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) {
  timed(Op::NormalizeRows, [&] { m_inner.normalizeRows(x, eps, y, norms); });
}
void ProfilingBackend::normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps,
                                             const TensorView& dy, const TensorView& dx) {
  timed(Op::NormalizeRowsBackward, [&] { m_inner.normalizeRowsBackward(y, norms, eps, dy, dx); });
}
void ProfilingBackend::stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) {
  timed(Op::StabilizedDivide, [&] { m_inner.stabilizedDivide(r, z, eps, out); });
}
void ProfilingBackend::scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) {
  timed(Op::ScaleRows, [&] { m_inner.scaleRows(x, factors, y); });
}
void ProfilingBackend::sgdUpdate(float learningRate, float weightDecay, const TensorView& grad,
                                 const TensorView& param) {
  timed(Op::SgdUpdate, [&] { m_inner.sgdUpdate(learningRate, weightDecay, grad, param); });
}
void ProfilingBackend::momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay,
                                      const TensorView& grad, const TensorView& velocity, const TensorView& param) {
  timed(Op::MomentumUpdate,
        [&] { m_inner.momentumUpdate(learningRate, momentum, nesterov, weightDecay, grad, velocity, param); });
}
void ProfilingBackend::adamUpdate(const AdamSettings& settings, const TensorView& grad, const TensorView& m,
                                  const TensorView& v, const TensorView& param) {
  timed(Op::AdamUpdate, [&] { m_inner.adamUpdate(settings, grad, m, v, param); });
}
void ProfilingBackend::layerNormForward(const TensorView& x, float eps, const TensorView& gamma,
                                        const TensorView& beta, const TensorView& y, const TensorView& mean,
                                        const TensorView& rstd) {
  timed(Op::LayerNormForward, [&] { m_inner.layerNormForward(x, eps, gamma, beta, y, mean, rstd); });
}
void ProfilingBackend::layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                                         const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                                         const TensorView& dgamma, const TensorView& dbeta) {
  timed(Op::LayerNormBackward, [&] { m_inner.layerNormBackward(x, gamma, mean, rstd, dy, dx, dgamma, dbeta); });
}
void ProfilingBackend::im2col(const Window2d& w, const TensorView& x, const TensorView& cols) {
  timed(Op::Im2Col, [&] { m_inner.im2col(w, x, cols); });
}
void ProfilingBackend::col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) {
  timed(Op::Col2Im, [&] { m_inner.col2im(w, cols, dx); });
}
void ProfilingBackend::channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                           const TensorView& to) {
  timed(Op::ChannelsLastToFirst, [&] { m_inner.channelsLastToFirst(n, hw, c, from, to); });
}
void ProfilingBackend::channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                           const TensorView& to) {
  timed(Op::ChannelsFirstToLast, [&] { m_inner.channelsFirstToLast(n, hw, c, from, to); });
}
void ProfilingBackend::maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y,
                                      const TensorView& argmax) {
  timed(Op::MaxPoolForward, [&] { m_inner.maxPoolForward(w, x, y, argmax); });
}
void ProfilingBackend::maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                                       const TensorView& dx) {
  timed(Op::MaxPoolBackward, [&] { m_inner.maxPoolBackward(w, argmax, dy, dx); });
}
void ProfilingBackend::avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) {
  timed(Op::AvgPoolForward, [&] { m_inner.avgPoolForward(w, x, y); });
}
void ProfilingBackend::avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) {
  timed(Op::AvgPoolBackward, [&] { m_inner.avgPoolBackward(w, dy, dx); });
}
void ProfilingBackend::gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) {
  timed(Op::GatherRows, [&] { m_inner.gatherRows(x, index, y); });
}

void ProfilingBackend::basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                        const TensorView& w2, const TensorView& b2, const TensorView& out) {
  timed(Op::BasisReluForward, [&] { m_inner.basisReluForward(index, w1t, b1, w2, b2, out); });
}
void ProfilingBackend::basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                         const TensorView& w2, const TensorView& gradOut, const TensorView& dw1t,
                                         const TensorView& db1, const TensorView& dw2, const TensorView& db2) {
  timed(Op::BasisReluBackward, [&] { m_inner.basisReluBackward(index, w1t, b1, w2, gradOut, dw1t, db1, dw2, db2); });
}

}  // namespace ffn::bench
