// Products. With AVX-512 (the build uses -march=native) they go through our packed kernel
// (core/backend/cpu/PackedGemm.h): 1.1-1.2x OpenBLAS's single-thread sgemm on our layer shapes, and every
// element is one fixed chain of FMAs, so the bits depend neither on the thread count nor on the batch. Inside a
// weight-reuse scope (LRP) the weights stay packed between calls; in training each thread packs the part of
// op(b) it reads. Elsewhere, and with FFN_CPU_GEMM=openblas, OpenBLAS's cblas_sgemm: on our shapes it measured
// 1.3-1.6x Eigen's own product.
// Either way the work is split over our own thread pool, whose workers stay hot between the many small ops of a
// training step (OpenBLAS's threads went to sleep and woke for every GEMM: 2 threads were barely faster than 1).
// One block per thread measured fastest (fixed, size-only blocks cost 10-20% on 2 cores); OpenBLAS's kernels
// then round slightly differently at different block widths, so there the last bits depend on the thread count
// (never on timing: the same thread count gives the same bits).
#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "core/backend/cpu/ActivationValues.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/PackedGemm.h"

namespace ffn {
namespace {

std::atomic<int> g_defaultThreads{0};

}  // namespace

void setComputeThreads(int threads) { g_defaultThreads = threads; }

int computeThreads() {
  const int threads = g_defaultThreads.load();
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

CpuBackend::CpuBackend(int threads) : m_pool(std::make_unique<ThreadPool>(threads > 0 ? threads : computeThreads())) {
  openblas_set_num_threads(1);
  // FFN_CPU_GEMM=openblas keeps training's products on OpenBLAS (for comparing the two in a benchmark).
  const char* choice = std::getenv("FFN_CPU_GEMM");
  m_packedProducts = !(choice && std::string_view(choice) == "openblas");
}

void CpuBackend::concurrently(std::span<const std::function<void()>> tasks) {
  const auto count = static_cast<int>(tasks.size());
  if (threadCount() == 1 || count < threadCount() || m_weightReuse > 0 || !packsEveryProduct())
    return Backend::concurrently(tasks);
  m_pool->run(count, [&](int task) { tasks[static_cast<std::size_t>(task)](); });
}

void CpuBackend::gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                      float beta, const TensorView& c) {
  gemmBlocks(ta, tb, alpha, a, b, beta, c, {});
}

void CpuBackend::gemmBlocks(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                            float beta, const TensorView& c, const GemmEpilogue& epilogue) {
  // op(a):[M,K] * op(b):[K,N] -> c:[M,N]
  const GemmShape shape = gemmShape(ta, tb, a, b, c);
  const auto m = shape.m, n = shape.n, k = shape.k;  // plain names: lambdas below capture them
  if (m == 0 || n == 0) return;
  const float* aData = a.data();
  const float* bData = b.data();
  float* cData = c.mutableData();
  if (k == 0) {
    assert(c.contiguous());
    if (beta == 0.0f)
      c.mutableVector().setZero();  // not 0 * c: c may hold NaN from an earlier use of the buffer
    else
      c.mutableVector() *= beta;
    if (epilogue) epilogue(0, m, 0, n);
    return;
  }
  if (packedGemm(ta, tb, alpha, a, b, beta, c, epilogue, {})) return;
  if (n == 1 && ta == Transpose::No && alpha == 1.0f && beta == 0.0f && !epilogue &&
      (tb == Transpose::Yes || b.rowStride() == 1)) {
    // A matrix times one contiguous column (the explainer's relevance sums, against ones): one dot product per
    // row, the rows split over the threads. OpenBLAS's small-matrix kernel took ~90 us for 1000 x 784 on 2
    // threads, 2% of an epsilon LRP pass. A row's sum does not depend on the split.
    const Eigen::Map<const Eigen::VectorXf> column(bData, k);
    const auto lda = a.rowStride(), ldc = c.rowStride();
    const std::int64_t grain = std::max((m + threadCount() - 1) / threadCount(), kSplitWork / k + 1);
    parallelRanges(m, grain, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t r = begin; r < end; ++r)
        cData[r * ldc] = Eigen::Map<const Eigen::VectorXf>(aData + r * lda, k).dot(column);
    });
    return;
  }
  const auto lda = a.rowStride(), ldb = b.rowStride(), ldc = c.rowStride();
  const auto transA = ta == Transpose::No ? CblasNoTrans : CblasTrans;
  const auto transB = tb == Transpose::No ? CblasNoTrans : CblasTrans;
  auto block = [&](std::int64_t rowBegin, std::int64_t rows, std::int64_t colBegin, std::int64_t cols) {
    // Rows of C come from rows of op(a); columns of C from columns of op(b).
    const float* aBlock = aData + (ta == Transpose::No ? rowBegin * lda : rowBegin);
    const float* bBlock = bData + (tb == Transpose::No ? colBegin : colBegin * ldb);
    float* cBlock = cData + rowBegin * ldc + colBegin;
    // OpenBLAS clears C for beta = 0 with its own beta kernel, which profiled at 5% of the GEMM kernel's time in
    // a backprop step; clearing the rows here and accumulating with beta = 1 gives the same bits (0 + alpha AB).
    if (beta == 0.0f)
      for (std::int64_t r = 0; r < rows; ++r) std::fill_n(cBlock + r * ldc, cols, 0.0f);
    cblas_sgemm(CblasRowMajor, transA, transB, static_cast<blasint>(rows), static_cast<blasint>(cols),
                static_cast<blasint>(k), alpha, aBlock, static_cast<blasint>(lda), bBlock, static_cast<blasint>(ldb),
                beta == 0.0f ? 1.0f : beta, cBlock, static_cast<blasint>(ldc));
    if (epilogue) epilogue(rowBegin, rows, colBegin, cols);
  };
  const int threads = threadCount();
  if (threads == 1 || m * n * k < kSplitWork) {
    block(0, m, 0, n);
    return;
  }
  // Split the larger output dimension into one block per thread, in whole kernel tiles. Row-major C reaches
  // OpenBLAS as its transpose, so our columns are its 16-wide SIMD dimension (blocks of 16 columns) and our rows
  // its 4-wide one: rows split into near-equal halves (a 1000-row LRP batch went 512:488 in multiples of 16,
  // and the thread with 488 waited ~5% of every product).
  const bool splitRows = m > n;
  const std::int64_t extent = splitRows ? m : n;
  const std::int64_t tile = splitRows ? 4 : 16;
  const std::int64_t step = std::max<std::int64_t>(tile, (extent / threads + tile - 1) / tile * tile);
  parallelRanges(extent, step, [&](std::int64_t begin, std::int64_t end) {
    if (splitRows)
      block(begin, end - begin, 0, n);
    else
      block(0, m, begin, end - begin);
  });
}

bool CpuBackend::packsProduct(std::int64_t m, std::int64_t n, std::int64_t k) const {
  // Packed per call, op(b) is packed whole: beyond a few thousand k (a convolution's weight gradient sums over
  // every pixel of the batch) that is megabytes per call, where OpenBLAS packs in cache-sized blocks.
  constexpr std::int64_t kDeepest = 4096;
  // A large product whose last panel is mostly padding (a convolution with 9 or 16 outputs per pixel) does up
  // to 3.5x the work: OpenBLAS's narrower tiles win there (the CNN's epoch measured 10% slower).
  constexpr std::int64_t kPanelColumns = packed::PackedMatrix::kPanelColumns;
  constexpr std::int64_t kLargeWork = std::int64_t{1} << 22;
  const std::int64_t panels = (n + kPanelColumns - 1) / kPanelColumns;
  const bool mostlyPadding = m * n * k >= kLargeWork && 4 * n < 3 * panels * kPanelColumns;
  return packsEveryProduct() && m_weightReuse == 0 && n >= kNarrowestPacked && k <= kDeepest && !mostlyPadding;
}

bool CpuBackend::packedGemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                            float beta, const TensorView& c, const GemmEpilogue& epilogue,
                            const packed::FusedStore& fused) {
  constexpr std::int64_t kPanelColumns = packed::PackedMatrix::kPanelColumns;
  const bool reuse = m_weightReuse > 0;
  const bool transposedB = tb == Transpose::Yes;
  const std::int64_t m = c.rows(), n = c.cols(), k = transposedB ? b.cols() : b.rows();
  if (!packed::available() || alpha != 1.0f || (beta != 0.0f && beta != 1.0f)) return false;
  if (reuse ? c.cols() < kNarrowestPacked || ta != Transpose::No || beta != 0.0f : !packsProduct(m, n, k))
    return false;
  const std::int64_t panels = (n + kPanelColumns - 1) / kPanelColumns;
  const float* aData = a.data();
  const float* bData = b.data();
  float* cData = c.mutableData();
  const auto lda = a.rowStride(), ldb = b.rowStride(), ldc = c.rowStride();
  const packed::Operand operand{.transposedA = ta == Transpose::Yes, .addToC = beta == 1.0f};
  // Inside a weight-reuse scope op(b) comes packed from the cache, shared by the threads; otherwise (training,
  // where the weights change every step) each thread packs the panels its share reads, into its own buffer.
  const packed::PackedMatrix* cached = reuse ? &m_packedWeights.get(b, transposedB) : nullptr;
  thread_local packed::PackedMatrix own;
  auto panelsFor = [&](std::int64_t begin, std::int64_t end) -> const packed::PackedMatrix& {
    if (cached) return *cached;
    own.packPanels(bData, ldb, transposedB, k, n, begin, end);
    return own;
  };
  // Rows of op(a) starting at `row`.
  auto rowsFrom = [&](std::int64_t row) { return aData + (operand.transposedA ? row : row * lda); };
  auto rowsDone = [&](std::int64_t offset, std::int64_t colBegin, std::int64_t colEnd) -> packed::RowsDone {
    if (!epilogue) return {};
    return [&epilogue, offset, colBegin, colEnd](std::int64_t rowBegin, std::int64_t rows) {
      epilogue(offset + rowBegin, rows, colBegin, colEnd - colBegin);
    };
  };
  // One piece: rows [rowBegin, rowEnd) x panels [panelBegin, panelEnd).
  auto piece = [&](std::int64_t rowBegin, std::int64_t rowEnd, std::int64_t panelBegin, std::int64_t panelEnd) {
    const packed::PackedMatrix& packedB = panelsFor(panelBegin, panelEnd);
    packed::multiply(rowsFrom(rowBegin), lda, rowEnd - rowBegin, packedB, panelBegin, panelEnd,
                     cData + rowBegin * ldc, ldc, operand, fused.at(rowBegin, 0),
                     rowsDone(rowBegin, panelBegin * kPanelColumns, std::min(n, panelEnd * kPanelColumns)));
  };
  // Split over the threads in whole tiles of rows or whole panels; either way every element is the same chain of
  // FMAs, so the bits do not depend on the split. Rows when the cache shares b (each thread packs only its rows
  // of a) and there are enough of them; panels when each thread packs its own part of b, or rows are few.
  const int threads = threadCount();
  const std::int64_t tileRows = packed::kTileRows;
  const std::int64_t rowTiles = (m + tileRows - 1) / tileRows;
  const bool splitRows =
      cached ? rowTiles >= 2 * threads || rowTiles >= panels : panels < 2 * threads && rowTiles > panels;
  if (threads == 1 || m * n * k < kSplitWork) {
    piece(0, m, 0, panels);
  } else if (splitRows) {
    parallelRanges(m, rowsPerShare(m), [&](std::int64_t begin, std::int64_t end) { piece(begin, end, 0, panels); });
  } else {
    // One share of whole panels per thread (firstPanelOfShare).
    m_pool->run(threads, [&](int t) {
      piece(0, m, firstPanelOfShare(n, t, threads), firstPanelOfShare(n, t + 1, threads));
    });
  }
  return true;
}

std::optional<bool> CpuBackend::gemmCheckingFinite(Transpose ta, Transpose tb, float alpha, const TensorView& a,
                                                   const TensorView& b, float beta, const TensorView& c) {
  // The packed kernel checks each final value as it stores it; other paths cannot tell without a pass.
  std::atomic<bool> nonFinite{false};
  if (packedGemm(ta, tb, alpha, a, b, beta, c, {}, packed::FusedStore{.nonFinite = &nonFinite}))
    return !nonFinite.load(std::memory_order_relaxed);
  gemm(ta, tb, alpha, a, b, beta, c);
  return std::nullopt;
}

void CpuBackend::addRowVector(const TensorView& y, const TensorView& bias) {
  // y:[N,F] += bias:[F]
  parallelRanges(y.rows(), std::max<std::int64_t>(1, (1 << 15) / std::max<std::int64_t>(1, y.cols())),
                 [&](std::int64_t begin, std::int64_t end) {
                   y.rowRange(begin, end - begin).mutableMatrix().rowwise() += bias.vector().transpose();
                 });
}

void CpuBackend::linearForward(const TensorView& x, const TensorView& weight, const TensorView* bias,
                               const TensorView& y, const FusedActivation* then) {
  // x:[N,in] W:[units,in] -> y:[N,units]; each block of y gets its bias and activation while still in cache.
  assert(!then || then->output.size() == y.size());
  const float* biasData = bias ? bias->data() : nullptr;
  float* yData = y.mutableData();
  float* activated = then ? then->output.mutableData() : nullptr;
  const auto ldy = y.rowStride();
  const auto lda = then ? then->output.rowStride() : 0;
  // With packed weights the kernel adds the bias and applies ReLU as it stores (the common case in LRP).
  if ((!then || then->kind == ActivationKind::ReLU) &&
      packedGemm(Transpose::No, Transpose::Yes, 1.0f, x, weight, 0.0f, y, {},
                 packed::FusedStore{.bias = biasData, .relu = activated, .reluStride = lda}))
    return;
  gemmBlocks(Transpose::No, Transpose::Yes, 1.0f, x, weight, 0.0f, y,
             [&](std::int64_t rowBegin, std::int64_t rows, std::int64_t colBegin, std::int64_t cols) {
               for (std::int64_t r = rowBegin; r < rowBegin + rows; ++r) {
                 float* row = yData + r * ldy + colBegin;
                 if (biasData)
                   for (std::int64_t j = 0; j < cols; ++j) row[j] += biasData[colBegin + j];
                 if (activated) activationValues(then->kind, then->alpha, row, activated + r * lda + colBegin, cols);
               }
             });
}

template <typename Combine>
void CpuBackend::transposeProductThen(const TensorView& s, const TensorView& weight, const TensorView& other,
                                      const TensorView& c, const packed::FusedStore& fused, Combine combine) {
  // s:[N,out] W:[out,in] -> c:[N,in]
  if (packedGemm(Transpose::No, Transpose::No, 1.0f, s, weight, 0.0f, c, {}, fused)) return;
  const float* otherData = other.data();
  const auto ldo = other.rowStride();
  float* cData = c.mutableData();
  const auto ldc = c.rowStride();
  gemmBlocks(Transpose::No, Transpose::No, 1.0f, s, weight, 0.0f, c,
             [&](std::int64_t rowBegin, std::int64_t rows, std::int64_t colBegin, std::int64_t cols) {
               for (std::int64_t r = rowBegin; r < rowBegin + rows; ++r) {
                 const float* o = otherData + r * ldo + colBegin;
                 float* row = cData + r * ldc + colBegin;
                 for (std::int64_t j = 0; j < cols; ++j) row[j] = combine(o[j], row[j]);
               }
             });
}

void CpuBackend::linearTransposeTimes(const TensorView& s, const TensorView& weight, const TensorView& a,
                                      const TensorView& c) {
  // c = a * (s W): LRP's rIn = a * L^T(s).
  transposeProductThen(s, weight, a, c, packed::FusedStore{.factor = a.data(), .factorStride = a.rowStride()},
                       [](float factor, float value) { return factor * value; });
}

bool CpuBackend::linearTransposeGated(const TensorView& s, const TensorView& weight, const TensorView& gate,
                                      const TensorView& c) {
  // c = gate > 0 ? s W : 0: backprop's input gradient through the ReLU below.
  transposeProductThen(s, weight, gate, c, packed::FusedStore{.gate = gate.data(), .gateStride = gate.rowStride()},
                       [](float g, float value) { return g > 0.0f ? value : 0.0f; });
  return true;
}

bool CpuBackend::linearTransposeTimesDivided(const TensorView& s, const TensorView& weight, const TensorView& a,
                                             const TensorView& z, float eps, const TensorView& c) {
  // Only the packed kernel divides as it stores.
  return packedGemm(Transpose::No, Transpose::No, 1.0f, s, weight, 0.0f, c, {},
                    packed::FusedStore{.factor = a.data(),
                                       .factorStride = a.rowStride(),
                                       .divisor = z.data(),
                                       .divisorStride = z.rowStride(),
                                       .stabilizer = eps});
}

void CpuBackend::sumRows(const TensorView& x, float beta, const TensorView& out) {
  // x:[N,F] -> out:[F]; split over features so each output is summed whole (the same at any thread count).
  // A bias gradient at batch 128 is 32K adds: worth two pieces, not one.
  const std::int64_t grain = std::max<std::int64_t>(16, (1 << 14) / std::max<std::int64_t>(1, x.rows()));
  parallelRanges(x.cols(), grain, [&](std::int64_t begin, std::int64_t end) {
    auto result = out.mutableVector().segment(begin, end - begin);
    auto columns = x.matrix().middleCols(begin, end - begin);
    if (beta == 0.0f)
      result = columns.colwise().sum().transpose();
    else
      result = beta * result + columns.colwise().sum().transpose();
  });
}

}  // namespace ffn
