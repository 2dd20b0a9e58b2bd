// The shortcuts a backprop step takes through a Network: a Dense layer applies its bias and the activation after
// it inside its GEMM (Backend::linearForward), carries its input gradient on through the ReLU below it in the
// same GEMM (Backend::linearTransposeGated), and a step writes its weight gradients instead of zeroing and then
// adding to them (GradientUpdate::Overwrite). Each must give what the plain path gives, to the bit.
#include <QtTest>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/data/Batch.h"
#include "core/layers/Activation.h"
#include "core/model/LossFunction.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

// Largest |a - b| / max(1, |b|); NaN anywhere counts as infinitely wrong.
double worstRelativeError(std::span<const float> a, std::span<const float> b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double error = std::abs(double(a[i]) - double(b[i])) / std::max(1.0, std::abs(double(b[i])));
    if (!(error <= worst)) worst = std::isnan(error) ? std::numeric_limits<double>::infinity() : error;
  }
  return worst;
}

bool sameBits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

// The activations whose value is exact arithmetic (the others go through Eigen's vectorised exp/tanh/erf, whose
// scalar tail may differ from the vector body in the last bit when the pieces are cut differently).
bool exactActivation(ActivationKind kind) { return kind == ActivationKind::Identity || kind == ActivationKind::ReLU; }

// The chain compiled on `backend` with weights drawn from `seed`; a chain that does not compile ends the run.
std::unique_ptr<Network> initializedChain(Backend& backend, const Shape& input, const std::vector<LayerSpec>& layers,
                                          std::uint64_t seed) {
  auto compiled = Network::compile(chainGraph(input, layers), backend);
  if (!compiled) qFatal("%s", compiled.message().c_str());
  (*compiled)->initializeWeights(seed);
  return std::move(*compiled);
}

// The network's layers one by one, top down, each through its own accumulateGradient (into the network's zeroed
// gradients) and backwardInput, after a forward pass on x; seen(i, dx) gets layer i's input gradient. Returns
// the network's input gradient.
template <typename Seen>
Tensor layerByLayerBackward(Backend& backend, Network& net, const Tensor& x, const Tensor& gradLogits, Seen seen) {
  net.zeroGradients();
  PassContext ctx{backend, true};
  Tensor dy = gradLogits;
  for (std::size_t i = net.layerCount(); i-- > 0;) {
    const Tensor& input = i == 0 ? x : net.layer(i - 1).output;
    net.layer(i).layer->accumulateGradient(ctx, input, net.layer(i).output, dy);
    Tensor dx(input.shape());
    net.layer(i).layer->backwardInput(ctx, input, net.layer(i).output, dy, dx);
    seen(i, dx);
    dy = dx;
  }
  return dy;
}

// Calls check(backend, rows, out, in, where) for a transposed map's product s:[rows, out] W:[out, in] split by
// rows (301 x 23 -> 37) and by columns (45 x 31 -> 263), on 1 and 2 threads; `where` names the case. Stops at
// the first failing case.
template <typename Check>
void forEachTransposeSplit(Check check) {
  for (int threads : {1, 2})
    for (auto [rows, out, in] : {std::array<std::int64_t, 3>{301, 23, 37}, std::array<std::int64_t, 3>{45, 31, 263}}) {
      CpuBackend backend(threads);
      check(backend, rows, out, in, "differs at " + std::to_string(threads) + " thread(s), " + std::to_string(rows) + " rows");
      if (QTest::currentTestFailed()) return;
    }
}

}  // namespace

class NetworkFusion : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void linearForwardMatchesItsComposition_data();
  void linearForwardMatchesItsComposition();
  void linearTransposeTimesMatchesItsComposition();
  void linearTransposeGatedMatchesItsComposition();
  void linearTransposeTimesDividedMatchesItsComposition();
  void fusedForwardEqualsLayerByLayer();
  void backwardThroughReluEqualsLayerByLayer();
  void outputLayerWeightGradientRunsWithTheNextPair();
  void weightGradientProductSeesNonFiniteValues();
  void networkKnowsWhetherItsGradientsAreFinite();
  void overwrittenGradientsEqualZeroedAndAccumulated();
  void classifierHeadMatchesItsComposition();
  void forwardWithLossEqualsForwardThenLoss();
};

void NetworkFusion::linearForwardMatchesItsComposition_data() {
  QTest::addColumn<int>("threads");
  QTest::addColumn<int>("rows");
  QTest::addColumn<int>("units");
  QTest::addColumn<bool>("bias");
  // Large enough to be split over threads: by rows when rows > units, by columns otherwise; odd sizes leave
  // partial SIMD tiles and pieces.
  for (int threads : {1, 2})
    for (bool bias : {true, false}) {
      const std::string tag = std::to_string(threads) + " thread(s)" + (bias ? ", bias" : ", no bias");
      QTest::newRow(("rows split, " + tag).c_str()) << threads << 301 << 37 << bias;
      QTest::newRow(("columns split, " + tag).c_str()) << threads << 45 << 263 << bias;
    }
}

void NetworkFusion::linearForwardMatchesItsComposition() {
  QFETCH(int, threads);
  QFETCH(int, rows);
  QFETCH(int, units);
  QFETCH(bool, bias);
  CpuBackend backend(threads);
  const std::int64_t in = 57;
  const Tensor x = randomTensor(Shape{rows, in}, 1);
  const Tensor w = randomTensor(Shape{units, in}, 2, 0.3f);
  const Tensor b = randomTensor(Shape{units}, 3);
  for (ActivationKind kind : {ActivationKind::Identity, ActivationKind::ReLU, ActivationKind::ELU,
                              ActivationKind::GELU, ActivationKind::Tanh, ActivationKind::Sigmoid}) {
    Tensor fusedY(Shape{rows, units}), fusedA(Shape{rows, units}), plainY(Shape{rows, units}), plainA(Shape{rows, units});
    fusedY.fill(std::numeric_limits<float>::quiet_NaN());  // stale values must not leak through
    fusedA.fill(std::numeric_limits<float>::quiet_NaN());
    const FusedActivation fused{kind, 0.7f, fusedA}, plain{kind, 0.7f, plainA};
    const TensorView biasView(b);
    backend.linearForward(x, w, bias ? &biasView : nullptr, fusedY, &fused);
    backend.Backend::linearForward(x, w, bias ? &biasView : nullptr, plainY, &plain);  // gemm, bias, activation
    const std::string what = "activation " + std::to_string(static_cast<int>(kind));
    QVERIFY2(sameBits(fusedY.values(), plainY.values()), ("pre-activation differs, " + what).c_str());
    if (exactActivation(kind))
      QVERIFY2(sameBits(fusedA.values(), plainA.values()), ("activation differs, " + what).c_str());
    else
      QVERIFY2(worstRelativeError(fusedA.values(), plainA.values()) < 1e-6, ("activation differs, " + what).c_str());
  }
}

void NetworkFusion::linearTransposeTimesMatchesItsComposition() {
  // LRP's rIn = a * (s W) with the multiplication in the GEMM's blocks, split by rows and by columns.
  forEachTransposeSplit([](CpuBackend& backend, std::int64_t rows, std::int64_t out, std::int64_t in,
                           const std::string& where) {
    const Tensor s = randomTensor(Shape{rows, out}, 8);
    const Tensor w = randomTensor(Shape{out, in}, 9, 0.3f);
    const Tensor a = randomTensor(Shape{rows, in}, 10);
    Tensor fused(Shape{rows, in}, std::numeric_limits<float>::quiet_NaN()), plain(Shape{rows, in});
    backend.linearTransposeTimes(s, w, a, fused);
    backend.Backend::linearTransposeTimes(s, w, a, plain);  // gemm, then multiply
    QVERIFY2(sameBits(fused.values(), plain.values()), where.c_str());
  });
}

void NetworkFusion::linearTransposeGatedMatchesItsComposition() {
  // Backprop's dx = gate > 0 ? dy W : 0 with the gate in the GEMM's blocks, split by rows and by columns. The gate
  // holds exact zeros (ReLU'(0) = 0) and negative zeros, and the product a NaN, which a gate <= 0 must stop.
  forEachTransposeSplit([](CpuBackend& backend, std::int64_t rows, std::int64_t out, std::int64_t in,
                           const std::string& where) {
    Tensor s = randomTensor(Shape{rows, out}, 8);
    s.mutableData()[out + 1] = std::numeric_limits<float>::quiet_NaN();  // row 1 of the product is NaN
    const Tensor w = randomTensor(Shape{out, in}, 9, 0.3f);
    Tensor gate = randomTensor(Shape{rows, in}, 10);
    for (std::int64_t j = 0; j < in; j += 3) gate.mutableData()[in + j] = j % 2 ? 0.0f : -0.0f;
    Tensor fused(Shape{rows, in}, std::numeric_limits<float>::quiet_NaN()), plain(Shape{rows, in});
    QVERIFY(backend.linearTransposeGated(s, w, gate, fused));
    QVERIFY(!backend.Backend::linearTransposeGated(s, w, gate, plain));  // the default has no fused form
    Tensor product(Shape{rows, in});
    backend.gemm(Transpose::No, Transpose::No, 1.0f, s, w, 0.0f, product);
    backend.activationBackward(ActivationKind::ReLU, 0.0f, gate, Tensor(), product, plain);
    QVERIFY2(sameBits(fused.values(), plain.values()), where.c_str());
    QVERIFY(fused.data()[in + 3] == 0.0f);  // NaN stopped by a zero gate (exact: QCOMPARE is fuzzy near 0)
  });
}

void NetworkFusion::linearTransposeTimesDividedMatchesItsComposition() {
  // LRP's relevance leaving a layer already divided for the layer below: (a * (s W)) / (z + eps sign z), split by
  // rows and by columns. z holds exact zeros (divided by +eps; with eps = 0 a zero denominator, giving 0), a NaN
  // and negatives.
  for (float eps : {0.25f, 0.0f})
    forEachTransposeSplit([eps](CpuBackend& backend, std::int64_t rows, std::int64_t out, std::int64_t in,
                                const std::string& where) {
      const Tensor s = randomTensor(Shape{rows, out}, 8);
      const Tensor w = randomTensor(Shape{out, in}, 9, 0.3f);
      const Tensor a = randomTensor(Shape{rows, in}, 10);
      Tensor z = randomTensor(Shape{rows, in}, 11);
      for (std::int64_t j = 0; j < in; j += 4) z.mutableData()[in + j] = 0.0f;
      z.mutableData()[2 * in + 1] = std::numeric_limits<float>::quiet_NaN();
      Tensor fused(Shape{rows, in}, std::numeric_limits<float>::quiet_NaN());
      if (!backend.linearTransposeTimesDivided(s, w, a, z, eps, fused)) {
        QVERIFY(!backend.packsEveryProduct());  // only the packed kernel divides as it stores
        QVERIFY(std::isnan(fused.data()[0]));   // and nothing was done
        return;
      }
      QVERIFY(!backend.Backend::linearTransposeTimesDivided(s, w, a, z, eps, fused));  // no default fused form
      Tensor product(Shape{rows, in}), plain(Shape{rows, in});
      backend.linearTransposeTimes(s, w, a, product);
      backend.stabilizedDivide(product, z, eps, plain);
      QVERIFY2(sameBits(fused.values(), plain.values()), where.c_str());
      QCOMPARE(fused.data()[in], eps > 0.0f ? product.data()[in] / eps : 0.0f);  // z = 0 counts as positive
      QVERIFY(std::isnan(fused.data()[2 * in + 1]));                              // NaN stays NaN
    });
}

void NetworkFusion::fusedForwardEqualsLayerByLayer() {
  // Dense+ReLU and Dense+Tanh pairs are fused; LayerNorm and the last Dense run alone.
  CpuBackend backend(2);
  const auto compiled = initializedChain(backend, Shape{40},
                                         {{"Dense", {{"units", 300}}},
                                          {"ReLU"},
                                          {"LayerNorm"},
                                          {"Dense", {{"units", 70}, {"bias", false}}},
                                          {"Tanh"},
                                          {"Dense", {{"units", 5}}}},
                                         11);
  Network& net = *compiled;
  const Tensor x = randomTensor(Shape{64, 40}, 4);
  const Tensor logits = net.forward(x, true);

  // The same layers one by one, each through its own forward().
  PassContext ctx{backend, true};
  Tensor input = x;
  for (std::size_t i = 0; i < net.layerCount(); ++i) {
    const Layer& layer = *net.layer(i).layer;
    Tensor out(layer.outputShape().withBatch(input.rows()));
    net.layer(i).layer->forward(ctx, input, out);
    const bool exact = !dynamic_cast<const Activation*>(&layer) ||
                       exactActivation(dynamic_cast<const Activation&>(layer).function());
    const std::string what = "layer " + std::to_string(i) + " (" + layer.kind() + ")";
    if (exact)
      QVERIFY2(sameBits(net.layer(i).output.values(), out.values()), (what + " differs").c_str());
    else
      QVERIFY2(worstRelativeError(net.layer(i).output.values(), out.values()) < 1e-6, (what + " differs").c_str());
    // Continue from the fused network's own output, so each layer is compared on the same input.
    input = net.layer(i).output;
  }
  QVERIFY(sameBits(logits.values(), net.layer(net.layerCount() - 1).output.values()));
}

void NetworkFusion::backwardThroughReluEqualsLayerByLayer() {
  // Dense -> ReLU pairs seen from above: each Dense hands the ReLU below it its gradient already gated. The ReLU
  // right after the input tests the input gradient's end of the chain; Tanh is not gated.
  CpuBackend backend(2);
  const auto compiled = initializedChain(backend, Shape{40},
                                         {{"ReLU"},
                                          {"Dense", {{"units", 90}}},
                                          {"ReLU"},
                                          {"Dense", {{"units", 70}, {"bias", false}}},
                                          {"Tanh"},
                                          {"Dense", {{"units", 5}}}},
                                         12);
  Network& net = *compiled;
  const Tensor x = randomTensor(Shape{64, 40}, 13);
  const Tensor gradLogits = randomTensor(Shape{64, 5}, 14);
  net.forward(x, true);
  net.zeroGradients();
  net.backward(gradLogits, true);
  const Tensor fusedGradients = net.gradients();

  // The same layers one by one, top down, each through its own backwardInput and accumulateGradient.
  const Tensor dy = layerByLayerBackward(backend, net, x, gradLogits, [&](std::size_t i, const Tensor& dx) {
    if (i == 2) QVERIFY2(sameBits(net.layer(1).gradOutput.values(), dx.values()), "the ReLU's input gradient differs");
  });
  QVERIFY2(sameBits(net.inputGradient().values(), dy.values()), "the input gradient differs");
  QVERIFY2(sameBits(net.gradients().values(), fusedGradients.values()), "the weight gradients differ");
}

void NetworkFusion::outputLayerWeightGradientRunsWithTheNextPair() {
  // The output layer's weight gradient is put off until the next Dense layer's halves run side by side: it must
  // still be computed, to the bit, and a NaN in it alone must still be seen (its checks counted when it runs).
  CpuBackend backend(2);
  const bool kernelChecks = backend.packsEveryProduct();
  const auto compiled = initializedChain(
      backend, Shape{30},
      {{"Dense", {{"units", 64}}}, {"ReLU"}, {"Dense", {{"units", 48}}}, {"ReLU"}, {"Dense", {{"units", 5}}}}, 21);
  Network& net = *compiled;
  const Tensor x = randomTensor(Shape{40, 30}, 22);
  const Tensor gradLogits = randomTensor(Shape{40, 5}, 23);
  net.forward(x, true);
  net.gradients().fill(std::numeric_limits<float>::quiet_NaN());
  net.backward(gradLogits, false, GradientUpdate::Overwrite);
  const Tensor networkGradients = net.gradients();
  if (kernelChecks) QCOMPARE(net.gradientsFinite(), std::optional<bool>(true));

  layerByLayerBackward(backend, net, x, gradLogits, [](std::size_t, const Tensor&) {});
  QVERIFY2(sameBits(net.gradients().values(), networkGradients.values()), "the weight gradients differ");

  // NaN in the output layer's input reaches its weight gradient only (the input gradient below is gated by the
  // ReLU's input, not its output).
  net.forward(x, true);
  net.layer(3).output.mutableData()[7] = std::numeric_limits<float>::quiet_NaN();
  net.backward(gradLogits, false, GradientUpdate::Overwrite);
  const std::int64_t outputWeights = 5 * 48;
  QVERIFY(!backend.allFinite(TensorView(net.gradients(), net.layer(4).weightOffset, Shape{outputWeights})));
  QVERIFY(backend.allFinite(TensorView(net.gradients(), net.layer(2).weightOffset, Shape{48 * 64})));
  if (kernelChecks) QCOMPARE(net.gradientsFinite(), std::optional<bool>(false));
}

void NetworkFusion::weightGradientProductSeesNonFiniteValues() {
  // dW = dy^T x as backprop computes it (A transposed, written or added to), checked as it is stored: the same
  // bits as gemm, and NaN from an input or infinity from an overflow of finite inputs are seen. Without the
  // packed kernel (no AVX-512) the product cannot tell and says so.
  if (!CpuBackend(1).packsEveryProduct()) {
    CpuBackend backend(2);
    const Tensor dy = randomTensor(Shape{128, 90}, 15), x = randomTensor(Shape{128, 300}, 16);
    Tensor checked(Shape{90, 300}), plain(Shape{90, 300});
    QCOMPARE(backend.gemmCheckingFinite(Transpose::Yes, Transpose::No, 1.0f, dy, x, 0.0f, checked),
             std::optional<bool>());
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, dy, x, 0.0f, plain);
    QVERIFY(sameBits(checked.values(), plain.values()));
    return;
  }
  for (int threads : {1, 2})
    for (float beta : {0.0f, 1.0f}) {
      CpuBackend backend(threads);
      Tensor dy = randomTensor(Shape{128, 90}, 15);
      Tensor x = randomTensor(Shape{128, 300}, 16);
      const Tensor start = randomTensor(Shape{90, 300}, 17);
      Tensor checked = start, plain = start;
      const auto finite = backend.gemmCheckingFinite(Transpose::Yes, Transpose::No, 1.0f, dy, x, beta, checked);
      backend.gemm(Transpose::Yes, Transpose::No, 1.0f, dy, x, beta, plain);
      QVERIFY(finite.has_value());
      QVERIFY(*finite);
      QVERIFY(sameBits(checked.values(), plain.values()));
      x.mutableData()[5 * 300 + 299] = std::numeric_limits<float>::quiet_NaN();  // the last column: a partial tile
      QCOMPARE(backend.gemmCheckingFinite(Transpose::Yes, Transpose::No, 1.0f, dy, x, beta, checked), false);
      x.mutableData()[5 * 300 + 299] = 3e38f;
      dy.mutableData()[5 * 90 + 7] = 3e38f;  // 9e76 overflows
      QCOMPARE(backend.gemmCheckingFinite(Transpose::Yes, Transpose::No, 1.0f, dy, x, beta, checked), false);
    }
}

void NetworkFusion::networkKnowsWhetherItsGradientsAreFinite() {
  CpuBackend backend(2);
  // Without the packed kernel (no AVX-512) no product sees its stores: the network never claims to know.
  const bool kernelChecks = backend.packsEveryProduct();
  auto expected = [&](bool finite) { return kernelChecks ? std::optional<bool>(finite) : std::optional<bool>(); };
  const auto compiled =
      initializedChain(backend, Shape{30}, {{"Dense", {{"units", 64}}}, {"ReLU"}, {"Dense", {{"units", 5}}}}, 3);
  Network& net = *compiled;
  Tensor x = randomTensor(Shape{40, 30}, 18);
  const Tensor gradLogits = randomTensor(Shape{40, 5}, 19);
  net.forward(x, true);
  net.backward(gradLogits, false, GradientUpdate::Overwrite);
  QCOMPARE(net.gradientsFinite(), expected(true));
  QVERIFY(backend.allFinite(net.gradients()));
  net.backward(gradLogits);  // accumulating: what was there before is not seen
  QCOMPARE(net.gradientsFinite(), std::optional<bool>());
  x.mutableData()[3] = std::numeric_limits<float>::infinity();
  net.forward(x, true);
  net.backward(gradLogits, false, GradientUpdate::Overwrite);
  QCOMPARE(net.gradientsFinite(), expected(false));
  QVERIFY(!backend.allFinite(net.gradients()));

  // LayerNorm cannot tell without a pass: the network does not claim to know.
  const auto withNorm =
      initializedChain(backend, Shape{30}, {{"Dense", {{"units", 64}}}, {"LayerNorm"}, {"Dense", {{"units", 5}}}}, 3);
  const Tensor normInput = randomTensor(Shape{40, 30}, 18);  // the network keeps a reference for backward
  withNorm->forward(normInput, true);
  withNorm->backward(gradLogits, false, GradientUpdate::Overwrite);
  QCOMPARE(withNorm->gradientsFinite(), std::optional<bool>());
}

void NetworkFusion::overwrittenGradientsEqualZeroedAndAccumulated() {
  // Dense layers write their gradients; LayerNorm does not and is zeroed by the network instead.
  CpuBackend backend(2);
  const auto compiled = initializedChain(
      backend, Shape{30},
      {{"Dense", {{"units", 200}}}, {"ReLU"}, {"LayerNorm"}, {"Dense", {{"units", 6}, {"bias", false}}}}, 5);
  Network& net = *compiled;
  const Tensor x = randomTensor(Shape{50, 30}, 6);
  const Tensor gradLogits = randomTensor(Shape{50, 6}, 7);

  net.forward(x, true);
  net.zeroGradients();
  net.backward(gradLogits);
  const Tensor zeroedThenAdded = net.gradients();
  QVERIFY(worstRelativeError(zeroedThenAdded.values(), Tensor(zeroedThenAdded.shape()).values()) > 0.0);

  // Whatever the buffer held before, NaN included and in the padding between tensors too (an optimiser's gradient
  // noise reaches it), an overwriting pass leaves exactly the same buffer.
  QVERIFY(net.gradients().size() > static_cast<std::int64_t>(200 * 30 + 200 + 2 * 200 + 200 * 6));  // has padding
  net.gradients().fill(std::numeric_limits<float>::quiet_NaN());
  net.forward(x, true);
  net.backward(gradLogits, false, GradientUpdate::Overwrite);
  QVERIFY2(sameBits(net.gradients().values(), zeroedThenAdded.values()), "overwritten gradients differ");

  // Accumulate still adds: a second pass doubles every gradient.
  net.backward(gradLogits);
  std::vector<float> doubled(zeroedThenAdded.values().begin(), zeroedThenAdded.values().end());
  for (float& g : doubled) g *= 2.0f;
  QVERIFY(worstRelativeError(net.gradients().values(), doubled) < 1e-6);
}

void NetworkFusion::classifierHeadMatchesItsComposition() {
  // The output layer, softmax cross-entropy and the input gradient through the ReLU below, one pass over rows:
  // the bits of linearForward, softmaxCrossEntropy and linearTransposeGated one after another, on 1 and 2 threads,
  // for row counts in and across whole kernel tiles, with and without bias, and classes filling a panel's first
  // vector, a whole vector, and more than a panel.
  struct Case {
    std::int64_t rows, in, classes;
    bool bias;
  };
  for (int threads : {1, 2})
    for (const Case c : {Case{128, 256, 10, true}, Case{37, 100, 16, false}, Case{5, 40, 33, true}}) {
      CpuBackend backend(threads);
      const std::string where = std::to_string(threads) + " thread(s), " + std::to_string(c.rows) + " rows, " +
                                std::to_string(c.classes) + " classes";
      Tensor gate = randomTensor(Shape{c.rows, c.in}, 31);
      for (std::int64_t j = 0; j < c.in; j += 3) gate.mutableData()[j] = j % 2 ? 0.0f : -0.0f;
      Tensor features(gate.shape());
      backend.activationForward(ActivationKind::ReLU, 0.0f, gate, features);
      const Tensor weight = randomTensor(Shape{c.classes, c.in}, 32, 0.3f), bias = randomTensor(Shape{c.classes}, 33);
      const Tensor labels = labelTensor(c.rows, c.classes, 34);
      const float scale = 1.0f / static_cast<float>(c.rows);
      const float nan = std::numeric_limits<float>::quiet_NaN();
      Tensor logits(Shape{c.rows, c.classes}, nan), dlogits(logits.shape(), nan), gradFeatures(gate.shape(), nan);
      const ClassifierHead head{.features = features, .gate = gate, .weight = weight,
                                .bias = c.bias ? TensorView(bias) : TensorView(), .labels = labels, .scale = scale,
                                .logits = logits, .dlogits = dlogits, .gradFeatures = gradFeatures};
      const std::optional<LossResult> fused = backend.classifierHead(head);
      if (!backend.packsEveryProduct()) {  // no AVX-512 in this build: the caller takes the three ops
        QVERIFY(!fused);
        return;
      }
      QVERIFY2(fused, where.c_str());

      Tensor plainLogits(logits.shape()), plainDlogits(logits.shape()), plainGrad(gate.shape());
      const TensorView biasView(bias);
      backend.linearForward(features, weight, c.bias ? &biasView : nullptr, plainLogits, nullptr);
      const LossResult plain = backend.softmaxCrossEntropy(plainLogits, labels, scale, plainDlogits);
      QVERIFY(backend.linearTransposeGated(plainDlogits, weight, gate, plainGrad));
      QVERIFY2(sameBits(logits.values(), plainLogits.values()), ("logits " + where).c_str());
      QVERIFY2(sameBits(dlogits.values(), plainDlogits.values()), ("dlogits " + where).c_str());
      QVERIFY2(sameBits(gradFeatures.values(), plainGrad.values()), ("input gradient " + where).c_str());
      QVERIFY2(std::memcmp(&fused->lossSum, &plain.lossSum, sizeof(double)) == 0, ("loss " + where).c_str());
      QCOMPARE(fused->correct, plain.correct);
    }

  // Where the three would not all take the packed kernel, the pass declines and writes nothing: fewer than 8
  // classes, inside a weight-reuse scope, and on a backend without the pass.
  CpuBackend backend(2);
  const Tensor features = randomTensor(Shape{20, 64}, 35), weight = randomTensor(Shape{4, 64}, 36);
  Tensor logits(Shape{20, 4}, 7.0f), dlogits(logits.shape()), gradFeatures(features.shape());
  ClassifierHead narrow{.features = features, .gate = features, .weight = weight, .bias = {}, .labels = labelTensor(20, 4, 37),
                        .scale = 0.05f, .logits = logits, .dlogits = dlogits, .gradFeatures = gradFeatures};
  QVERIFY(!backend.classifierHead(narrow));
  QCOMPARE(logits.at(0), 7.0f);
  const Tensor wide = randomTensor(Shape{10, 64}, 38);
  Tensor wideLogits(Shape{20, 10}), wideDlogits(Shape{20, 10});
  narrow.weight = wide;
  narrow.logits = wideLogits;
  narrow.dlogits = wideDlogits;
  narrow.labels = labelTensor(20, 10, 39);
  backend.beginWeightReuse();
  QVERIFY(!backend.classifierHead(narrow));
  backend.endWeightReuse();
  QVERIFY(!backend.Backend::classifierHead(narrow));
  QCOMPARE(backend.classifierHead(narrow).has_value(), backend.packsEveryProduct());
}

void NetworkFusion::forwardWithLossEqualsForwardThenLoss() {
  // A classifier's step through forwardWithLoss (the head in one pass, backward starting below its ReLU) gives the
  // logits, loss, dlogits and weight gradients of forward, LossFunction::evaluate and backward, to the bit; so does
  // a network whose head it cannot fuse. After the fused pass, backward given another gradient must use that one.
  for (const char* below : {"ReLU", "Tanh"}) {
    CpuBackend backend(2);
    const auto compiled = initializedChain(
        backend, Shape{30},
        {{"Dense", {{"units", 64}}}, {"ReLU"}, {"Dense", {{"units", 48}}}, {below}, {"Dense", {{"units", 10}}}}, 41);
    Network& net = *compiled;
    Batch batch;
    batch.inputs = randomTensor(Shape{40, 30}, 42);
    batch.labels = labelTensor(40, 10, 43);
    LossFunction loss;

    Tensor plainGrad;
    net.forward(batch.inputs, true);
    const Tensor plainLogits = net.output();
    const LossResult plain = loss.evaluate(backend, net.loss(), net.output(), batch, &plainGrad);
    net.backward(plainGrad, false, GradientUpdate::Overwrite);
    const Tensor plainGradients = net.gradients();

    Tensor fusedGrad;
    const LossResult fused = net.forwardWithLoss(batch.inputs, batch, loss, fusedGrad);
    QVERIFY2(sameBits(net.output().values(), plainLogits.values()), below);
    QVERIFY2(sameBits(fusedGrad.values(), plainGrad.values()), below);
    QVERIFY(std::memcmp(&fused.lossSum, &plain.lossSum, sizeof(double)) == 0);
    QCOMPARE(fused.correct, plain.correct);
    net.gradients().fill(std::numeric_limits<float>::quiet_NaN());
    net.backward(fusedGrad, false, GradientUpdate::Overwrite);
    QVERIFY2(sameBits(net.gradients().values(), plainGradients.values()), below);

    // Another gradient after the fused pass: its own backward, not the head's.
    Tensor otherGrad = randomTensor(fusedGrad.shape(), 44);
    net.forward(batch.inputs, true);
    net.backward(otherGrad, false, GradientUpdate::Overwrite);
    const Tensor otherGradients = net.gradients();
    net.forwardWithLoss(batch.inputs, batch, loss, fusedGrad);
    net.backward(otherGrad, false, GradientUpdate::Overwrite);
    QVERIFY2(sameBits(net.gradients().values(), otherGradients.values()), below);
  }
}

QTEST_GUILESS_MAIN(NetworkFusion)
#include "tst_network_fusion.moc"
