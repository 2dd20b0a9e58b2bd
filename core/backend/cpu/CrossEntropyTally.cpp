// CrossEntropyTally: softmax cross-entropy row by row, each row's loss kept apart for a sum in row order.
#include "core/backend/cpu/CrossEntropyTally.h"

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/base/VectorLanes.h"

namespace ffn {
namespace {

#if defined(__AVX512F__)

// The largest of a row's logits, and in `best` the first class holding it (as Eigen's maxCoeff).
float rowMaximum(const float* z, std::int64_t classes, std::int64_t& best) {
  const __m512 lowest = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  __m512 top = lowest;
  for (std::int64_t c = 0; c < classes; c += 16)
    top = _mm512_max_ps(top, _mm512_mask_loadu_ps(lowest, firstLanes(classes - c), z + c));
  const float maximum = _mm512_reduce_max_ps(top);
  best = 0;  // and stays 0 when no lane equals it (a NaN logit: the loss is NaN anyway)
  for (std::int64_t c = 0; c < classes; c += 16) {
    const __mmask16 mask = firstLanes(classes - c);
    const __mmask16 hit = _mm512_mask_cmpeq_ps_mask(mask, _mm512_maskz_loadu_ps(mask, z + c), _mm512_set1_ps(maximum));
    if (hit) {
      best = c + std::countr_zero(static_cast<unsigned>(hit));
      break;
    }
  }
  return maximum;
}

// g = exp(z - shift) for one row, returning the sum of g.
float rowExponentials(const float* z, std::int64_t classes, float shift, float* g) {
  __m512 sum = _mm512_setzero_ps();
  for (std::int64_t c = 0; c < classes; c += 16) {
    const __mmask16 mask = firstLanes(classes - c);
    const __m512 x = _mm512_sub_ps(_mm512_maskz_loadu_ps(mask, z + c), _mm512_set1_ps(shift));
    const __m512 e = _mm512_maskz_mov_ps(mask, Eigen::internal::pexp<Eigen::internal::Packet16f>(x));
    _mm512_mask_storeu_ps(g + c, mask, e);
    sum = _mm512_add_ps(sum, e);
  }
  return _mm512_reduce_add_ps(sum);
}

void scaleRow(float* g, std::int64_t classes, float factor) {
  for (std::int64_t c = 0; c < classes; c += 16) {
    const __mmask16 mask = firstLanes(classes - c);
    _mm512_mask_storeu_ps(g + c, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, g + c), _mm512_set1_ps(factor)));
  }
}

#endif

// With AVX-512 a row goes in vectors of 16 classes, the lanes past the last masked off: Eigen's row expressions
// (dynamic sizes, and a scalar exp for the lanes past a half vector) took 6.2 us for 128 rows of 10 classes on
// one thread, these 3.2 (40 classes: 15.0 and 5.9 us; 3 classes: 2.9 and 3.2 us).
std::int64_t softmaxCrossEntropyRows(const ConstStridedMatrixMap& z, const float* label, float scale,
                                     StridedMatrixMap grad, std::int64_t begin, std::int64_t end, double* rowLoss) {
  std::int64_t hits = 0;
  for (Eigen::Index n = begin; n < end; ++n) {
    const auto target = static_cast<Eigen::Index>(label[n]);
#if defined(__AVX512F__)
    const std::int64_t classes = z.cols();
    const float* logits = z.data() + n * z.outerStride();
    float* g = grad.data() + n * grad.outerStride();
    std::int64_t best = 0;
    const float maxLogit = rowMaximum(logits, classes, best);
    const float total = rowExponentials(logits, classes, maxLogit, g);
    scaleRow(g, classes, scale / total);
#else
    Eigen::Index best = 0;
    const float maxLogit = z.row(n).maxCoeff(&best);
    grad.row(n) = (z.row(n).array() - maxLogit).exp().matrix();
    const float total = grad.row(n).sum();
    grad.row(n) *= scale / total;
#endif
    rowLoss[n] = std::log(static_cast<double>(total)) - (z(n, target) - maxLogit);
    hits += best == target;
    grad(n, target) -= scale;
  }
  return hits;
}

}  // namespace

CrossEntropyTally::CrossEntropyTally(const ConstStridedMatrixMap& logits, const float* labels, float scale,
                                     const StridedMatrixMap& dlogits)
    : m_logits(logits), m_labels(labels), m_scale(scale), m_dlogits(dlogits) {
  thread_local std::vector<double> rowLosses;  // the constructing thread's; pieces write their own rows
  rowLosses.resize(static_cast<std::size_t>(logits.rows()));
  m_rowLoss = rowLosses.data();
}

void CrossEntropyTally::addRows(std::int64_t begin, std::int64_t end) {
  m_correct.fetch_add(softmaxCrossEntropyRows(m_logits, m_labels, m_scale, m_dlogits, begin, end, m_rowLoss),
                      std::memory_order_relaxed);
}

LossResult CrossEntropyTally::result() const {
  LossResult result;
  for (std::int64_t n = 0; n < m_logits.rows(); ++n) result.lossSum += m_rowLoss[n];
  result.correct = m_correct.load();
  return result;
}

}  // namespace ffn
