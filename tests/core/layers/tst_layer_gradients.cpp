// Every layer kind: analytic gradients (with respect to its input and each of its weights) against central
// finite differences, through a one-layer network with the loss L = sum(y * probe).
#include <QtTest>

#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

Q_DECLARE_METATYPE(ffn::Shape)

class LayerGradients : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void gradients_data();
  void gradients();
};

void LayerGradients::gradients_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("params");
  QTest::addColumn<Shape>("input");
  const Shape flat{6};
  const Shape image{2, 5, 5};
  QTest::newRow("Dense") << "Dense" << R"({"units": 4})" << flat;
  QTest::newRow("Dense no bias, image input") << "Dense" << R"({"units": 3, "bias": false})" << image;
  QTest::newRow("LowRank") << "LowRank" << R"({"units": 5, "rank": 2})" << flat;
  QTest::newRow("LowRank self-guided") << "LowRank"
                                       << R"({"units": 5, "rank": 2, "selfGuided": true, "guideFraction": 0.9})" << flat;
  QTest::newRow("BlockDiagonal") << "BlockDiagonal" << R"({"units": 4, "blocks": 2})" << flat;
  QTest::newRow("BlockDiagonal self-guided")
      << "BlockDiagonal" << R"({"units": 9, "blocks": 3, "selfGuided": true, "guideFraction": 0.9})" << flat;
  QTest::newRow("ReLU") << "ReLU" << "{}" << flat;
  QTest::newRow("ELU") << "ELU" << R"({"alpha": 0.7})" << flat;
  QTest::newRow("GELU") << "GELU" << "{}" << flat;
  QTest::newRow("Tanh") << "Tanh" << "{}" << flat;
  QTest::newRow("Sigmoid") << "Sigmoid" << "{}" << flat;
  QTest::newRow("Softmax") << "Softmax" << "{}" << flat;
  QTest::newRow("LayerNorm") << "LayerNorm" << "{}" << flat;
  QTest::newRow("LayerNorm without affine") << "LayerNorm" << R"({"affine": false})" << flat;
  QTest::newRow("Dropout (evaluation: identity)") << "Dropout" << R"({"rate": 0.3})" << flat;
  QTest::newRow("Conv2d") << "Conv2d" << R"({"channels": 3, "kernel": 3, "padding": 1})" << image;
  QTest::newRow("Conv2d strided, no padding") << "Conv2d" << R"({"channels": 2, "kernel": 2, "stride": 2, "padding": 0})"
                                              << image;
  QTest::newRow("MaxPool2d") << "MaxPool2d" << R"({"kernel": 2, "stride": 2})" << image;
  QTest::newRow("MaxPool2d overlapping") << "MaxPool2d" << R"({"kernel": 3, "stride": 1})" << image;
  QTest::newRow("AvgPool2d") << "AvgPool2d" << R"({"kernel": 2, "stride": 1})" << image;
  QTest::newRow("Flatten") << "Flatten" << "{}" << image;
}

void LayerGradients::gradients() {
  QFETCH(QString, kind);
  QFETCH(QString, params);
  QFETCH(Shape, input);
  // The layer under test, then Flatten when it keeps an image shape (Output needs flat scores).
  std::vector<LayerSpec> layers{{kind.toStdString(), Json::parse(params.toStdString())}};
  if (input.rank() == 3 && kind != "Dense" && kind != "Flatten") layers.push_back({"Flatten"});
  CpuBackend backend;
  auto net = Network::compile(chainGraph(input, layers), backend);
  QVERIFY2(net.ok(), net.ok() ? "" : net.message().c_str());
  Network& network = **net;
  network.initializeWeights(11);
  network.setTrainingProgress(0.3);  // self-guided layers mix both paths here
  // Perturb LayerNorm's gamma/beta away from 1/0 so their gradients are exercised generically.
  for (float& w : network.weights().mutableValues()) w += 0.05f * (w == 0.0f ? 1.0f : 0.0f);

  const std::int64_t batch = 3;
  Tensor x = randomTensor(input.withBatch(batch), 5);
  // Keep inputs off the kinks of ReLU/ELU (at 0) and make max-pool winners unambiguous: finite differences are
  // only meaningful where the function is smooth within one step.
  for (float& v : x.mutableValues()) v += v < 0.0f ? -0.1f : 0.1f;
  const bool kinked = kind == "ReLU" || kind == "ELU" || kind.startsWith("MaxPool");
  const double step = kinked ? 1e-3 : 1e-2;
  const Tensor& y = network.forward(x, false);
  Tensor probe = randomTensor(y.shape(), 6);

  network.forward(x, false);
  network.zeroGradients();
  network.backward(probe, true);
  const Tensor inputGradient = network.inputGradient();
  const Tensor weightGradient = network.gradients();
  auto loss = [&] { return probeLoss(network, x, probe); };

  const auto inputCheck = compareWithFiniteDifferences(x.mutableValues(), inputGradient.values(), loss, step);
  QVERIFY2(inputCheck.worstError < 2e-2, ("input gradient, " + inputCheck.where).c_str());
  if (network.weightCount() > 0) {
    const auto weightCheck = compareWithFiniteDifferences(network.weights().mutableValues(), weightGradient.values(), loss, step);
    QVERIFY2(weightCheck.worstError < 2e-2, ("weight gradient, " + weightCheck.where).c_str());
  }
  QVERIFY(inputGradient.vector().norm() > 0.0f);  // the check compared something real
}

QTEST_APPLESS_MAIN(LayerGradients)
#include "tst_layer_gradients.moc"
