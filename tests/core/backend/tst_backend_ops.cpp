// Every Backend op (every value of ffn::Op) on every available device against the CPU reference, in the manner
// of ggml's test-backend-ops: random inputs of awkward sizes (not multiples of 16 or of any work-group size),
// views at offsets, strided (column-range) GEMM operands and outputs, outputs that only partly cover their
// tensor (the rest must be left alone), NaN in outputs that must not be read. Each case runs twice on the same
// tensors, so the second run reads inputs that already live on the device.
//
// Error measure: normalised mean squared error, sum (got - want)^2 / sum want^2 over every tensor the case
// touches (inputs included: they must not change), and the same for scalar results. Bounds:
//   kExact          1e-10  ops built from + - * / and sqrt: differences are rounding and summation order only
//   kTranscendental 1e-6   ops using exp, erf, tanh or log, whose last bits differ between libm and the device
// Measured on PoCL (CPU device): at most 3e-14 for either kind, GEMM included. The bounds leave room for GPUs,
// whose GEMMs sum in other orders and whose exp/erf may be a few ulp off (OpenCL allows up to 16 for erf).
// "cpu" is always a row (the harness itself, against a second CpuBackend); every OpenCL device adds its rows.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "core/backend/BackendFactory.h"
#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/base/Rng.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using ffn::test::labelTensor;
using ffn::test::normalisedMse;
using ffn::test::randomTensor;

namespace {

constexpr double kExact = 1e-10;
constexpr double kTranscendental = 1e-6;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// One op application: the tensors it touches and what it returns on the host (losses, sums), if anything.
struct OpCase {
  std::string label;
  std::vector<Tensor> tensors;
  std::function<std::vector<double>(Backend&, std::vector<Tensor>&)> apply;
  double bound = kExact;
};

double scalarError(double got, double want) {
  const double difference = got - want;
  return want != 0.0 ? difference * difference / (want * want) : difference * difference;
}

Tensor filled(const Shape& shape, float value) { return Tensor(shape, value); }

TensorView matrixView(Tensor& t) { return TensorView(t, 0, Shape{t.rows(), t.cols()}); }

// A [rows, cols] window of tensor t (a [R, C] matrix) starting at (row, col): a strided view at an offset.
TensorView window(Tensor& t, std::int64_t row, std::int64_t col, std::int64_t rows, std::int64_t cols) {
  return matrixView(t).rowRange(row, rows).columnRange(col, cols);
}

const char* activationName(ActivationKind kind) {
  static constexpr const char* kNames[] = {"identity", "relu", "elu", "gelu", "tanh", "sigmoid"};
  return kNames[static_cast<int>(kind)];
}

constexpr ActivationKind kActivations[] = {ActivationKind::Identity, ActivationKind::ReLU, ActivationKind::ELU,
                                           ActivationKind::GELU,     ActivationKind::Tanh, ActivationKind::Sigmoid};

std::vector<double> none() { return {}; }
std::vector<double> loss(const LossResult& r) { return {r.lossSum, static_cast<double>(r.correct)}; }

std::vector<OpCase> gemmCases() {
  std::vector<OpCase> cases;
  const std::int64_t m = 37, n = 29, k = 53;
  for (const Transpose ta : {Transpose::No, Transpose::Yes})
    for (const Transpose tb : {Transpose::No, Transpose::Yes}) {
      const std::string name = std::string(ta == Transpose::No ? "N" : "T") + (tb == Transpose::No ? "N" : "T");
      const Shape aShape = ta == Transpose::No ? Shape{m, k} : Shape{k, m};
      const Shape bShape = tb == Transpose::No ? Shape{k, n} : Shape{n, k};
      // Contiguous, beta = 0 over a C full of NaN (which must not leak into the result).
      cases.push_back({name + " contiguous, beta 0 over NaN",
                       {randomTensor(aShape, 1), randomTensor(bShape, 2), filled(Shape{m, n}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.gemm(ta, tb, 0.7f, t[0], t[1], 0.0f, t[2]);
                         return none();
                       }});
      // Every operand a strided window at an offset; beta = 0.5; C's surroundings must stay as they were.
      cases.push_back({name + " strided windows, beta 0.5",
                       {randomTensor(Shape{aShape[0] + 5, aShape[1] + 7}, 3),
                        randomTensor(Shape{bShape[0] + 3, bShape[1] + 11}, 4), randomTensor(Shape{m + 4, n + 9}, 5)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.gemm(ta, tb, -1.3f, window(t[0], 2, 5, aShape[0], aShape[1]),
                                 window(t[1], 3, 1, bShape[0], bShape[1]), 0.5f, window(t[2], 1, 7, m, n));
                         return none();
                       }});
    }
  // Large enough for CLBlast's indirect (padded, tiled) kernels, in the shapes of a dense layer's three GEMMs.
  const std::int64_t bm = 130, bn = 301, bk = 263;
  cases.push_back({"NT large (forward)",
                   {randomTensor(Shape{bm, bk}, 6), randomTensor(Shape{bn, bk}, 7), filled(Shape{bm, bn}, kNaN)},
                   [](Backend& be, std::vector<Tensor>& t) {
                     be.gemm(Transpose::No, Transpose::Yes, 1.0f, t[0], t[1], 0.0f, t[2]);
                     return none();
                   }});
  cases.push_back({"TN large (weight gradient, accumulating)",
                   {randomTensor(Shape{bm, bn}, 8), randomTensor(Shape{bm, bk}, 9), randomTensor(Shape{bn, bk}, 10)},
                   [](Backend& be, std::vector<Tensor>& t) {
                     be.gemm(Transpose::Yes, Transpose::No, 1.0f, t[0], t[1], 1.0f, t[2]);
                     return none();
                   }});
  cases.push_back({"NN large (input gradient)",
                   {randomTensor(Shape{bm, bn}, 11), randomTensor(Shape{bn, bk}, 12), filled(Shape{bm, bk}, kNaN)},
                   [](Backend& be, std::vector<Tensor>& t) {
                     be.gemm(Transpose::No, Transpose::No, 1.0f, t[0], t[1], 0.0f, t[2]);
                     return none();
                   }});
  // K = 0: c = beta c (zeros for beta = 0)
  cases.push_back({"K = 0, beta 0 over NaN",
                   {Tensor(Shape{m, 0}), Tensor(Shape{0, n}), filled(Shape{m, n}, kNaN)},
                   [=](Backend& be, std::vector<Tensor>& t) {
                     be.gemm(Transpose::No, Transpose::No, 1.0f, t[0], t[1], 0.0f, t[2]);
                     return none();
                   }});
  cases.push_back({"K = 0, beta 0.25",
                   {Tensor(Shape{m, 0}), Tensor(Shape{0, n}), randomTensor(Shape{m, n}, 13)},
                   [=](Backend& be, std::vector<Tensor>& t) {
                     be.gemm(Transpose::No, Transpose::No, 1.0f, t[0], t[1], 0.25f, t[2]);
                     return none();
                   }});
  return cases;
}

// Element-wise ops on views at an offset into a larger buffer: [n] at `offset`, the rest must stay untouched.
TensorView slice(Tensor& t, std::int64_t offset, std::int64_t n) { return TensorView(t, offset, Shape{n}); }

// The basis-input two-layer ReLU ops: positions that repeat (their first-layer gradients add up), an awkward width,
// and either whole tensors (outputs over NaN, which must be overwritten) or views at offsets into larger tensors
// (whose surroundings must stay as they were).
std::vector<OpCase> basisReluCases(Op op) {
  std::vector<OpCase> cases;
  const std::int64_t inputs = 9, outs = 5, units = 301;
  const std::vector<float> positions = {3, 0, 8, 3, 5, 1, 3};
  const auto rows = static_cast<std::int64_t>(positions.size());
  Tensor index(Shape{rows + 2}, 0.0f);
  for (std::int64_t n = 0; n < rows; ++n) index.mutableData()[n + 2] = positions[static_cast<std::size_t>(n)];
  const Shape w1{inputs, units}, w2{outs, units};
  for (const bool atOffsets : {false, true}) {
    const std::int64_t pad = atOffsets ? 3 : 0;
    // A tensor of `shape` behind `pad` extra leading elements; outputs start as NaN unless they are at offsets.
    auto tensor = [&](const Shape& shape, std::uint64_t seed, bool output) {
      const Shape padded{shape.elementCount() + pad};
      return output && !atOffsets ? filled(padded, kNaN) : randomTensor(padded, seed);
    };
    auto view = [pad](Tensor& t, const Shape& shape) { return TensorView(t, pad, shape); };
    const std::string label = atOffsets ? "views at offsets" : "whole tensors, outputs over NaN";
    auto indexView = [rows](Tensor& t) { return TensorView(t, 2, Shape{rows}); };  // always at an offset
    if (op == Op::BasisReluForward)
      cases.push_back({label,
                       {index, tensor(w1, 1, false), tensor(Shape{units}, 2, false), tensor(w2, 3, false),
                        tensor(Shape{outs}, 4, false), tensor(Shape{rows, outs}, 5, true)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.basisReluForward(indexView(t[0]), view(t[1], w1), view(t[2], Shape{units}),
                                             view(t[3], w2), view(t[4], Shape{outs}), view(t[5], Shape{rows, outs}));
                         return none();
                       }});
    else
      cases.push_back({label,
                       {index, tensor(w1, 1, false), tensor(Shape{units}, 2, false), tensor(w2, 3, false),
                        tensor(Shape{rows, outs}, 4, false), tensor(w1, 5, true), tensor(Shape{units}, 6, true),
                        tensor(w2, 7, true), tensor(Shape{outs}, 8, true)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.basisReluBackward(indexView(t[0]), view(t[1], w1), view(t[2], Shape{units}),
                                              view(t[3], w2), view(t[4], Shape{rows, outs}), view(t[5], w1),
                                              view(t[6], Shape{units}), view(t[7], w2), view(t[8], Shape{outs}));
                         return none();
                       }});
  }
  return cases;
}

std::vector<OpCase> casesFor(Op op) {
  const std::int64_t rows = 37, cols = 53, classes = 13, n = 1001;
  std::vector<OpCase> cases;
  switch (op) {
    case Op::Gemm: return gemmCases();
    case Op::AddRowVector:
      cases.push_back({"[37,53] + bias at offset 5", {randomTensor(Shape{rows, cols}, 1), randomTensor(Shape{cols + 9}, 2)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.addRowVector(t[0], slice(t[1], 5, cols));
                         return none();
                       }});
      cases.push_back({"strided window", {randomTensor(Shape{rows + 3, cols + 8}, 3), randomTensor(Shape{cols}, 4)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.addRowVector(window(t[0], 2, 3, rows, cols), t[1]);
                         return none();
                       }});
      return cases;
    case Op::SumRows:
      cases.push_back({"beta 0 over NaN", {randomTensor(Shape{rows, cols}, 1), filled(Shape{cols}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.sumRows(t[0], 0.0f, t[1]);
                         return none();
                       }});
      cases.push_back({"beta 0.5, strided input, output at offset",
                       {randomTensor(Shape{rows + 2, cols + 6}, 2), randomTensor(Shape{cols + 4}, 3)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.sumRows(window(t[0], 1, 4, rows, cols), 0.5f, slice(t[1], 3, cols));
                         return none();
                       }});
      return cases;
    case Op::ActivationForward:
      for (const ActivationKind kind : kActivations)
        cases.push_back({activationName(kind), {randomTensor(Shape{rows * cols + 20}, 1, 2.0f), filled(Shape{rows * cols + 7}, kNaN)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           be.activationForward(kind, 0.7f, slice(t[0], 11, rows * cols), slice(t[1], 3, rows * cols));
                           return none();
                         },
                         kind == ActivationKind::Identity || kind == ActivationKind::ReLU ? kExact : kTranscendental});
      return cases;
    case Op::ActivationBackward:
      for (const ActivationKind kind : kActivations) {
        Tensor x = randomTensor(Shape{rows, cols}, 2, 2.0f), y(Shape{rows, cols});
        CpuBackend().activationForward(kind, 0.7f, x, y);
        cases.push_back({activationName(kind),
                         {x, y, randomTensor(Shape{rows, cols}, 3), filled(Shape{rows, cols}, kNaN)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           be.activationBackward(kind, 0.7f, t[0], t[1], t[2], t[3]);
                           return none();
                         },
                         kind == ActivationKind::GELU ? kTranscendental : kExact});
      }
      return cases;
    case Op::SoftmaxRows:
      cases.push_back({"[37,13]", {randomTensor(Shape{rows, classes}, 1, 3.0f), filled(Shape{rows, classes}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.softmaxRows(t[0], t[1]);
                         return none();
                       },
                       kTranscendental});
      cases.push_back({"rows longer than a work-group, strided, in place",
                       {randomTensor(Shape{7, 301 + 5}, 2, 3.0f)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.softmaxRows(window(t[0], 0, 2, 7, 301), window(t[0], 0, 2, 7, 301));
                         return none();
                       },
                       kTranscendental});
      return cases;
    case Op::SoftmaxBackward: {
      Tensor y(Shape{rows, classes});
      CpuBackend().softmaxRows(randomTensor(Shape{rows, classes}, 1), y);
      cases.push_back({"[37,13]", {y, randomTensor(Shape{rows, classes}, 2), filled(Shape{rows, classes}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.softmaxBackward(t[0], t[1], t[2]);
                         return none();
                       }});
      return cases;
    }
    case Op::SoftmaxCrossEntropy:
      for (const std::int64_t c : {classes, std::int64_t{301}})
        cases.push_back({std::to_string(c) + " classes",
                         {randomTensor(Shape{rows, c}, 1, 2.0f), labelTensor(rows, c, 2), filled(Shape{rows, c}, kNaN)},
                         [](Backend& be, std::vector<Tensor>& t) {
                           return loss(be.softmaxCrossEntropy(t[0], t[1], 1.0f / 37.0f, t[2]));
                         },
                         kTranscendental});
      return cases;
    case Op::MeanSquaredError: {
      Tensor oneHot(Shape{rows, classes});
      const Tensor labels = labelTensor(rows, classes, 3);
      for (std::int64_t r = 0; r < rows; ++r) oneHot.mutableData()[r * classes + static_cast<int>(labels.at(r))] = 1.0f;
      cases.push_back({"one-hot targets", {randomTensor(Shape{rows, classes}, 1), oneHot, filled(Shape{rows, classes}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         return loss(be.meanSquaredError(t[0], t[1], 1.0f / 37.0f, t[2]));
                       }});
      cases.push_back({"dense targets, strided", {randomTensor(Shape{rows, cols + 3}, 2), randomTensor(Shape{rows, cols}, 3),
                                                  randomTensor(Shape{rows + 1, cols}, 4)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         return loss(be.meanSquaredError(window(t[0], 0, 3, rows, cols), t[1], 0.5f,
                                                         window(t[2], 1, 0, rows, cols)));
                       }});
      return cases;
    }
    case Op::Axpy:
      cases.push_back({"offsets", {randomTensor(Shape{n + 3}, 1), randomTensor(Shape{n + 8}, 2)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.axpy(-0.37f, slice(t[0], 3, n), slice(t[1], 8, n));
                         return none();
                       }});
      return cases;
    case Op::Scale:
      cases.push_back({"offset", {randomTensor(Shape{n + 5}, 1)}, [=](Backend& be, std::vector<Tensor>& t) {
                         be.scale(1.7f, slice(t[0], 2, n));
                         return none();
                       }});
      return cases;
    case Op::Multiply:
      cases.push_back({"offsets", {randomTensor(Shape{n + 1}, 1), randomTensor(Shape{n}, 2), filled(Shape{n + 4}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.multiply(slice(t[0], 1, n), t[1], slice(t[2], 4, n));
                         return none();
                       }});
      return cases;
    case Op::Copy:
      cases.push_back({"between tensors", {randomTensor(Shape{n + 2}, 1), filled(Shape{n + 9}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.copy(slice(t[0], 2, n), slice(t[1], 9, n));
                         return none();
                       }});
      cases.push_back({"within one tensor", {randomTensor(Shape{2 * n + 3}, 2)}, [=](Backend& be, std::vector<Tensor>& t) {
                         be.copy(slice(t[0], 0, n), slice(t[0], n + 3, n));
                         return none();
                       }});
      return cases;
    case Op::Fill:
      cases.push_back({"offset", {randomTensor(Shape{n + 6}, 1)}, [=](Backend& be, std::vector<Tensor>& t) {
                         be.fill(0.25f, slice(t[0], 6, n));
                         return none();
                       }});
      cases.push_back({"whole tensor", {filled(Shape{n}, kNaN)}, [](Backend& be, std::vector<Tensor>& t) {
                         be.fill(-3.0f, t[0]);
                         return none();
                       }});
      return cases;
    case Op::Sum:
    case Op::SumOfSquares:
    case Op::AllFinite: {
      auto reduceOp = [op](Backend& be, const TensorView& x) -> double {
        if (op == Op::Sum) return be.sum(x);
        if (op == Op::SumOfSquares) return be.sumOfSquares(x);
        return be.allFinite(x) ? 1.0 : 0.0;
      };
      for (const std::int64_t count : {std::int64_t{7}, std::int64_t{100003}})
        cases.push_back({std::to_string(count) + " at offset 3", {randomTensor(Shape{count + 5}, 1, 3.0f)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           return std::vector<double>{reduceOp(be, slice(t[0], 3, count))};
                         }});
      if (op == Op::AllFinite)
        for (const float bad : {kNaN, std::numeric_limits<float>::infinity()}) {
          Tensor x = randomTensor(Shape{100003}, 2);
          x.mutableData()[77777] = bad;
          cases.push_back({std::isnan(bad) ? "one NaN" : "one inf", {x}, [=](Backend& be, std::vector<Tensor>& t) {
                             return std::vector<double>{reduceOp(be, t[0])};
                           }});
        }
      return cases;
    }
    case Op::RowSumOfSquares:
      cases.push_back({"strided", {randomTensor(Shape{rows, cols + 4}, 1), filled(Shape{rows + 2}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.rowSumOfSquares(window(t[0], 0, 4, rows, cols), slice(t[1], 2, rows));
                         return none();
                       }});
      return cases;
    case Op::NormalizeRows: {
      Tensor x = randomTensor(Shape{rows, cols}, 1);
      std::fill_n(x.mutableData() + 5 * cols, cols, 0.0f);  // a zero row
      cases.push_back({"with a zero row", {x, filled(Shape{rows, cols}, kNaN), filled(Shape{rows}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.normalizeRows(t[0], 1e-6f, t[1], t[2]);
                         return none();
                       }});
      return cases;
    }
    case Op::NormalizeRowsBackward: {
      Tensor y(Shape{rows, cols}), norms(Shape{rows});
      CpuBackend().normalizeRows(randomTensor(Shape{rows, cols}, 1), 1e-3f, y, norms);
      cases.push_back({"[37,53]", {y, norms, randomTensor(Shape{rows, cols}, 2), filled(Shape{rows, cols}, kNaN)},
                       [](Backend& be, std::vector<Tensor>& t) {
                         be.normalizeRowsBackward(t[0], t[1], 1e-3f, t[2], t[3]);
                         return none();
                       }});
      return cases;
    }
    case Op::StabilizedDivide: {
      Tensor z = randomTensor(Shape{n}, 2);
      for (std::int64_t i = 0; i < n; i += 97) z.mutableData()[i] = 0.0f;
      for (const float eps : {0.01f, 0.0f})
        cases.push_back({"eps " + std::to_string(eps) + ", zeros in z", {randomTensor(Shape{n}, 1), z, filled(Shape{n}, kNaN)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           be.stabilizedDivide(t[0], t[1], eps, t[2]);
                           return none();
                         }});
      return cases;
    }
    case Op::ScaleRows:
      cases.push_back({"strided input, factors at offset, over NaN",
                       {randomTensor(Shape{rows + 2, cols + 5}, 1), randomTensor(Shape{rows + 3}, 2),
                        filled(Shape{rows, cols}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.scaleRows(window(t[0], 2, 5, rows, cols), slice(t[1], 3, rows), t[2]);
                         return none();
                       }});
      cases.push_back({"in place, strided window", {randomTensor(Shape{rows + 1, cols + 4}, 3), randomTensor(Shape{rows}, 4)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.scaleRows(window(t[0], 1, 4, rows, cols), t[1], window(t[0], 1, 4, rows, cols));
                         return none();
                       }});
      return cases;
    case Op::GatherRows: {
      // Rows picked out of order from a strided window into a strided window.
      Tensor index(Shape{rows + 2});
      for (std::int64_t r = 0; r < rows; ++r) index.mutableData()[2 + r] = static_cast<float>((r * 7 + 3) % (rows + 1));
      cases.push_back({"strided source and target, index at an offset",
                       {randomTensor(Shape{rows + 3, cols + 5}, 1), index, randomTensor(Shape{rows + 1, cols + 2}, 5)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         be.gatherRows(window(t[0], 2, 5, rows + 1, cols), slice(t[1], 2, rows),
                                       window(t[2], 1, 2, rows, cols));
                         return none();
                       }});
      return cases;
    }
    case Op::SgdUpdate:
      for (const float decay : {0.0f, 0.01f})
        cases.push_back({"weight decay " + std::to_string(decay), {randomTensor(Shape{n}, 1), randomTensor(Shape{n + 4}, 2)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           be.sgdUpdate(0.05f, decay, t[0], slice(t[1], 4, n));
                           return none();
                         }});
      return cases;
    case Op::MomentumUpdate:
      for (const bool nesterov : {false, true})
        for (const float decay : {0.0f, 0.01f})
          cases.push_back({std::string(nesterov ? "nesterov" : "plain") + ", weight decay " + std::to_string(decay),
                           {randomTensor(Shape{n}, 1), randomTensor(Shape{n}, 2), randomTensor(Shape{n}, 3)},
                           [=](Backend& be, std::vector<Tensor>& t) {
                             be.momentumUpdate(0.05f, 0.9f, nesterov, decay, t[0], t[1], t[2]);
                             return none();
                           }});
      return cases;
    case Op::AdamUpdate:
      for (const std::int64_t step : {std::int64_t{1}, std::int64_t{7}})
        for (const float decay : {0.0f, 0.01f}) {
          Tensor second = randomTensor(Shape{n}, 3);
          for (float& v : second.mutableValues()) v = v * v * 0.01f;
          cases.push_back({"step " + std::to_string(step) + ", decoupled decay " + std::to_string(decay),
                           {randomTensor(Shape{n}, 1), randomTensor(Shape{n}, 2, 0.1f), second, randomTensor(Shape{n}, 4)},
                           [=](Backend& be, std::vector<Tensor>& t) {
                             AdamSettings s;
                             s.learningRate = 0.01f;
                             s.weightDecay = decay;
                             s.step = step;
                             be.adamUpdate(s, t[0], t[1], t[2], t[3]);
                             return none();
                           }});
        }
      return cases;
    case Op::LayerNormForward:
      for (const bool affine : {true, false})
        cases.push_back({affine ? "affine" : "plain",
                         {randomTensor(Shape{rows, cols}, 1, 2.0f), randomTensor(Shape{cols}, 2), randomTensor(Shape{cols}, 3),
                          filled(Shape{rows, cols}, kNaN), filled(Shape{rows}, kNaN), filled(Shape{rows}, kNaN)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           be.layerNormForward(t[0], 1e-5f, affine ? TensorView(t[1]) : TensorView(),
                                               affine ? TensorView(t[2]) : TensorView(), t[3], t[4], t[5]);
                           return none();
                         }});
      return cases;
    case Op::LayerNormBackward:
      for (const bool affine : {true, false}) {
        Tensor x = randomTensor(Shape{rows, cols}, 1, 2.0f), y(Shape{rows, cols}), mean(Shape{rows}), rstd(Shape{rows});
        CpuBackend().layerNormForward(x, 1e-5f, TensorView(), TensorView(), y, mean, rstd);
        cases.push_back({affine ? "affine (dgamma, dbeta accumulate)" : "plain",
                         {x, randomTensor(Shape{cols}, 2), mean, rstd, randomTensor(Shape{rows, cols}, 3),
                          filled(Shape{rows, cols}, kNaN), randomTensor(Shape{cols}, 4), randomTensor(Shape{cols}, 5)},
                         [=](Backend& be, std::vector<Tensor>& t) {
                           const TensorView gamma = affine ? TensorView(t[1]) : TensorView();
                           be.layerNormBackward(t[0], gamma, t[2], t[3], t[4], t[5], affine ? TensorView(t[6]) : TensorView(),
                                                affine ? TensorView(t[7]) : TensorView());
                           return none();
                         }});
      }
      return cases;
    case Op::Im2Col:
    case Op::Col2Im:
    case Op::MaxPoolForward:
    case Op::MaxPoolBackward:
    case Op::AvgPoolForward:
    case Op::AvgPoolBackward: {
      // Odd image sizes, strides that do not divide them, padding, overlapping windows.
      std::vector<std::pair<std::string, Window2d>> windows;
      Window2d w;
      w.channels = 3, w.height = 11, w.width = 9, w.kernelH = 3, w.kernelW = 2, w.strideH = 2, w.strideW = 1,
      w.padH = 1, w.padW = 1;
      windows.push_back({"3x2 stride 2x1 pad 1", w});
      w.kernelH = w.kernelW = 3, w.strideH = w.strideW = 1, w.padH = w.padW = 1;
      windows.push_back({"3x3 stride 1 pad 1 (overlapping)", w});
      w.kernelH = w.kernelW = 2, w.strideH = w.strideW = 2, w.padH = w.padW = 0;
      windows.push_back({"2x2 stride 2", w});
      const std::int64_t batch = 5;
      for (const auto& [name, window] : windows) {
        const auto win = window;  // a plain variable: clang 14 (the sanitizer build) cannot capture a binding
        const std::int64_t oh = win.outHeight(), ow = win.outWidth();
        const Shape image{batch, win.channels, win.height, win.width};
        const Shape pooled{batch, win.channels, oh, ow};
        const Shape columns{batch * oh * ow, win.channels * win.kernelH * win.kernelW};
        if (op == Op::Im2Col)
          cases.push_back({name, {randomTensor(image, 1), filled(columns, kNaN)}, [win](Backend& be, std::vector<Tensor>& t) {
                             be.im2col(win, t[0], t[1]);
                             return none();
                           }});
        if (op == Op::Col2Im)
          cases.push_back({name, {randomTensor(columns, 1), filled(image, kNaN)}, [win](Backend& be, std::vector<Tensor>& t) {
                             be.col2im(win, t[0], t[1]);
                             return none();
                           }});
        if (op == Op::MaxPoolForward)
          cases.push_back({name, {randomTensor(image, 1), filled(pooled, kNaN), filled(pooled, kNaN)},
                           [win](Backend& be, std::vector<Tensor>& t) {
                             be.maxPoolForward(win, t[0], t[1], t[2]);
                             return none();
                           }});
        if (op == Op::MaxPoolBackward) {
          Tensor y(pooled), argmax(pooled);
          CpuBackend().maxPoolForward(win, randomTensor(image, 1), y, argmax);
          cases.push_back({name, {argmax, randomTensor(pooled, 2), filled(image, kNaN)},
                           [win](Backend& be, std::vector<Tensor>& t) {
                             be.maxPoolBackward(win, t[0], t[1], t[2]);
                             return none();
                           }});
        }
        if (op == Op::AvgPoolForward)
          cases.push_back({name, {randomTensor(image, 1), filled(pooled, kNaN)}, [win](Backend& be, std::vector<Tensor>& t) {
                             be.avgPoolForward(win, t[0], t[1]);
                             return none();
                           }});
        if (op == Op::AvgPoolBackward)
          cases.push_back({name, {randomTensor(pooled, 1), filled(image, kNaN)}, [win](Backend& be, std::vector<Tensor>& t) {
                             be.avgPoolBackward(win, t[0], t[1]);
                             return none();
                           }});
      }
      return cases;
    }
    case Op::ChannelsLastToFirst:
    case Op::ChannelsFirstToLast: {
      const std::int64_t batch = 5, hw = 13, c = 7;
      cases.push_back({"[5, 13, 7]", {randomTensor(Shape{batch, hw * c}, 1), filled(Shape{batch, hw * c}, kNaN)},
                       [=](Backend& be, std::vector<Tensor>& t) {
                         if (op == Op::ChannelsLastToFirst)
                           be.channelsLastToFirst(batch, hw, c, t[0], t[1]);
                         else
                           be.channelsFirstToLast(batch, hw, c, t[0], t[1]);
                         return none();
                       }});
      return cases;
    }
    case Op::BasisReluForward:
    case Op::BasisReluBackward:
      return basisReluCases(op);
    case Op::Count: break;
  }
  return cases;
}

}  // namespace

class BackendOps : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void op_data();
  void op();
  void subtractEqualsCopyThenAxpy();
  void crossEntropyHasTheSameBitsOnAnyThreadCount();
  void crossEntropyMatchesADoublePrecisionReference();

 private:
  // One backend per device for the whole run (the OpenCL program is built or loaded once).
  std::map<QString, std::unique_ptr<Backend>> m_backends;
};

void BackendOps::initTestCase() {
  ffn::test::useBuildFolderProgramCache();
  const DeviceList devices = DeviceRegistry::openClDevices();
  qInfo("devices: cpu%s", devices.devices.empty() ? (" (no OpenCL device: " + devices.problem + ")").c_str() : "");
  for (const auto& device : devices.devices) qInfo("  %s", device.summary().c_str());
}

void BackendOps::op_data() {
  QTest::addColumn<QString>("device");
  QTest::addColumn<int>("op");
  for (const std::string& device : DeviceRegistry::availableSpecs())
    for (int op = 0; op < static_cast<int>(Op::Count); ++op)
      QTest::newRow((device + " " + opName(static_cast<Op>(op))).c_str()) << QString::fromStdString(device) << op;
}

void BackendOps::op() {
  QFETCH(QString, device);
  QFETCH(int, op);
  auto& slot = m_backends[device];
  if (!slot) {
    auto created = createBackend(device.toStdString());
    QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
    slot = std::move(created).value();
  }
  Backend& backend = *slot;
  QVERIFY2(backend.supportsOp(static_cast<Op>(op)), "supportsOp() says no: the CPU ran it (the fallback is tested elsewhere)");
  CpuBackend reference;

  const auto cases = casesFor(static_cast<Op>(op));
  QVERIFY2(!cases.empty(), "this op has no test case: add one to casesFor()");
  for (const OpCase& c : cases) {
    std::vector<Tensor> want = c.tensors, got = c.tensors;
    for (int pass = 1; pass <= 2; ++pass) {
      const std::vector<double> wantScalars = c.apply(reference, want);
      const std::vector<double> gotScalars = c.apply(backend, got);
      double worst = 0.0;
      std::string where;
      for (std::size_t i = 0; i < want.size(); ++i) {
        const double error = normalisedMse(got[i].values(), want[i].values());
        if (!(error <= worst)) worst = error, where = "tensor " + std::to_string(i);
      }
      for (std::size_t i = 0; i < wantScalars.size(); ++i) {
        const double error = scalarError(gotScalars[i], wantScalars[i]);
        if (!(error <= worst))
          worst = error, where = "scalar " + std::to_string(i) + ": " + std::to_string(gotScalars[i]) + " vs " +
                                 std::to_string(wantScalars[i]);
      }
      const std::string message = c.label + ", pass " + std::to_string(pass) + ": normalised MSE " +
                                  std::to_string(worst) + " (" + where + ") above " + std::to_string(c.bound);
      QVERIFY2(worst <= c.bound, message.c_str());
      if (pass == 2 && worst > 0.0) qInfo("%s: %s worst %.3g (%s)", device.toUtf8().constData(), c.label.c_str(), worst, where.c_str());
    }
  }
  const std::string warnings = backend.takeWarnings();
  QVERIFY2(warnings.empty(), warnings.c_str());
}

void BackendOps::subtractEqualsCopyThenAxpy() {
  // The CPU's one pass gives the bits of the default's copy and axpy(-1): signed zeros, infinities and NaN too.
  CpuBackend cpu(2);
  Tensor a = randomTensor(Shape{70001}, 3), b = randomTensor(Shape{70001}, 4);
  const float specials[][2] = {{0.0f, 0.0f}, {-0.0f, 0.0f}, {0.0f, -0.0f}, {-0.0f, -0.0f}, {1.0f, 1.0f},
                               {kNaN, 1.0f}, {1.0f, kNaN}, {INFINITY, INFINITY}, {-INFINITY, 2.0f}};
  for (std::size_t i = 0; i < std::size(specials); ++i) {
    a.mutableData()[i] = specials[i][0];
    b.mutableData()[i] = specials[i][1];
  }
  Tensor once(a.shape(), kNaN), twice(a.shape(), kNaN);
  cpu.subtract(a, b, once);
  cpu.Backend::subtract(a, b, twice);
  QVERIFY(std::memcmp(once.data(), twice.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0);
  QVERIFY(std::signbit(once.data()[1]) && !std::signbit(once.data()[2]));  // -0 - 0 = -0; 0 - (-0) = +0
}

void BackendOps::crossEntropyHasTheSameBitsOnAnyThreadCount() {
  // Rows split over the threads: the gradient, the loss (summed in row order) and the hits are those of one thread.
  const std::int64_t rows = 301, classes = 10;
  const Tensor logits = randomTensor(Shape{rows, classes}, 5, 4.0f), labels = labelTensor(rows, classes, 6);
  Tensor alone(logits.shape(), kNaN), split(logits.shape(), kNaN);
  const LossResult one = CpuBackend(1).softmaxCrossEntropy(logits, labels, 1.0f / 301.0f, alone);
  const LossResult three = CpuBackend(3).softmaxCrossEntropy(logits, labels, 1.0f / 301.0f, split);
  QVERIFY(std::memcmp(alone.data(), split.data(), sizeof(float) * static_cast<std::size_t>(alone.size())) == 0);
  QVERIFY(std::memcmp(&one.lossSum, &three.lossSum, sizeof(double)) == 0);
  QCOMPARE(three.correct, one.correct);
  QVERIFY(one.correct > 0 && one.correct < rows);
}

void BackendOps::crossEntropyMatchesADoublePrecisionReference() {
  // The CPU's rows go in vectors of 16 classes with the lanes past the last masked off: class counts below, at and
  // past one vector and past two, ties for the largest logit (the first counts as the prediction), logits far
  // apart (exp underflows to 0 for the smallest), and a NaN logit, which must make its row's loss NaN.
  for (const std::int64_t classes : {1, 3, 10, 16, 17, 40}) {
    const std::int64_t rows = 29;
    Tensor logits = randomTensor(Shape{rows, classes}, 7 + static_cast<std::uint64_t>(classes), 4.0f);
    const Tensor labels = labelTensor(rows, classes, 8);
    float* z = logits.mutableData();
    z[1 * classes + classes - 1] = z[1 * classes + 0] = 50.0f;  // row 1: a tie, first and last class
    if (classes > 2) z[2 * classes + 1] = -120.0f;               // row 2: one class far below (exp gives 0)
    const float scale = 1.0f / static_cast<float>(rows);
    Tensor grad(logits.shape(), kNaN);
    const LossResult got = CpuBackend(1).softmaxCrossEntropy(logits, labels, scale, grad);
    double lossSum = 0.0;
    std::int64_t correct = 0;
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = z + r * classes;
      const auto target = static_cast<std::int64_t>(labels.at(r));
      const std::int64_t best = std::max_element(row, row + classes) - row;  // the first of equal maxima
      double total = 0.0;
      for (std::int64_t c = 0; c < classes; ++c) total += std::exp(static_cast<double>(row[c]) - row[best]);
      lossSum += std::log(total) - (static_cast<double>(row[target]) - row[best]);
      correct += best == target;
      for (std::int64_t c = 0; c < classes; ++c) {
        const double want = scale * (std::exp(static_cast<double>(row[c]) - row[best]) / total - (c == target ? 1.0 : 0.0));
        const double error = std::abs(grad.at(r * classes + c) - want);
        QVERIFY2(error <= 1e-6 * scale, (std::to_string(classes) + " classes, row " + std::to_string(r) + ", class " +
                                         std::to_string(c) + ": " + std::to_string(grad.at(r * classes + c)) + " vs " +
                                         std::to_string(want)).c_str());
      }
    }
    QVERIFY2(std::abs(got.lossSum - lossSum) <= 1e-6 * lossSum, (std::to_string(got.lossSum) + " vs " + std::to_string(lossSum)).c_str());
    QCOMPARE(got.correct, correct);

    z[3 * classes + classes / 2] = kNaN;
    const LossResult poisoned = CpuBackend(1).softmaxCrossEntropy(logits, labels, scale, grad);
    QVERIFY(std::isnan(poisoned.lossSum));
  }
}

QTEST_GUILESS_MAIN(BackendOps)
#include "tst_backend_ops.moc"
