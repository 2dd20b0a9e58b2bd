// Weights files: a network's weights saved and loaded into a differently initialised twin give identical
// weights and identical outputs; a file that does not fit (wrong shape, missing or extra tensor, damaged) is
// refused with the tensor named, and the network keeps its weights.
#include <QTemporaryDir>
#include <QtTest>
#include <bit>
#include <filesystem>
#include <fstream>

#include "core/project/WeightsFile.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;
namespace fs = std::filesystem;

namespace {

Graph mlp(int hidden) {
  return chainGraph(Shape{4}, {{"Dense", Json{{"units", hidden}}}, {"ReLU"}, {"Dense", Json{{"units", 3}}}});
}

std::vector<std::uint32_t> weightBits(const Network& network) {
  std::vector<std::uint32_t> out;
  for (float v : network.weights().values()) out.push_back(std::bit_cast<std::uint32_t>(v));
  return out;
}

}  // namespace

class WeightsFileTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init();
  void roundTripGivesSameNetwork();
  void refusesWrongShape();
  void refusesMissingTensor();
  void refusesExtraTensor();
  void refusesUnreadableFile();

 private:
  std::string path(const char* name) const { return (fs::path(m_dir->path().toStdString()) / name).string(); }
  std::unique_ptr<Network> compile(const Graph& graph, std::uint64_t seed) {
    auto net = Network::compile(graph, m_backend);
    if (!net.ok()) qFatal("%s", net.message().c_str());
    (*net)->initializeWeights(seed);
    return std::move(*net);
  }
  // The saved tensors of `source`, changed by `edit`, written to `name`; returns the path.
  std::string editedFile(const char* name, const std::function<void(std::vector<NamedTensor>&)>& edit) {
    auto read = readSafetensors(m_saved);
    if (!read.ok()) qFatal("%s", read.message().c_str());
    edit(read->tensors);
    if (!writeSafetensors(path(name), read->tensors).ok()) qFatal("cannot write %s", name);
    return path(name);
  }
  // Loading `file` into a fresh network must fail with `message` and leave its weights as they were.
  void expectRefused(const std::string& file, const std::vector<std::string>& messages, int hidden = 5) {
    auto target = compile(mlp(hidden), 2);
    const auto before = weightBits(*target);
    Status loaded = loadWeights(*target, file);
    QVERIFY(!loaded.ok());
    for (const auto& message : messages)
      QVERIFY2(loaded.message().find(message) != std::string::npos, loaded.message().c_str());
    QCOMPARE(weightBits(*target), before);
  }

  CpuBackend m_backend;
  std::unique_ptr<QTemporaryDir> m_dir;
  std::string m_saved;
};

void WeightsFileTest::init() {
  m_dir = std::make_unique<QTemporaryDir>();
  QVERIFY(m_dir->isValid());
  m_saved = path("trained.safetensors");
  auto source = compile(mlp(5), 1);
  Status saved = saveWeights(*source, m_saved, {{"ffnlab.epochs", "3"}});
  QVERIFY2(saved.ok(), saved.ok() ? "" : saved.message().c_str());
}

void WeightsFileTest::roundTripGivesSameNetwork() {
  auto source = compile(mlp(5), 1);
  auto target = compile(mlp(5), 2);
  QVERIFY(weightBits(*source) != weightBits(*target));  // different init, or the test proves nothing

  Status loaded = loadWeights(*target, m_saved);
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  QCOMPARE(weightBits(*target), weightBits(*source));

  const Tensor x = randomTensor(Shape{7, 4}, 3);
  const Tensor expected = source->forward(x, false);
  const Tensor& actual = target->forward(x, false);
  QCOMPARE(std::vector<float>(actual.values().begin(), actual.values().end()),
           std::vector<float>(expected.values().begin(), expected.values().end()));

  // The file names each tensor "<node>.<weight>" with its shape, and keeps the metadata.
  auto file = readSafetensors(m_saved);
  QVERIFY(file.ok());
  std::vector<std::string> names;
  for (const auto& tensor : file->tensors) names.push_back(tensor.name);
  QCOMPARE(names, (std::vector<std::string>{"n1.weight", "n1.bias", "n3.weight", "n3.bias"}));
  QVERIFY(file->find("n1.weight")->shape == (Shape{5, 4}));
  QVERIFY(file->find("n3.bias")->shape == (Shape{3}));
  QCOMPARE(file->metadata.at("ffnlab.epochs"), std::string("3"));
}

void WeightsFileTest::refusesWrongShape() {
  // A network whose first layer has 6 units, not 5: both layers' shapes no longer fit.
  expectRefused(m_saved,
                {"tensor 'n1.weight' has shape [5, 4] in the file, but the network needs [6, 4]",
                 "tensor 'n1.bias' has shape [5] in the file, but the network needs [6]",
                 "tensor 'n3.weight' has shape [3, 5] in the file, but the network needs [3, 6]", "trained.safetensors"},
                6);
}

void WeightsFileTest::refusesMissingTensor() {
  const auto file = editedFile("missing.safetensors", [](std::vector<NamedTensor>& tensors) {
    std::erase_if(tensors, [](const NamedTensor& t) { return t.name == "n3.bias"; });
  });
  expectRefused(file, {"tensor 'n3.bias' [3] is missing"});
}

void WeightsFileTest::refusesExtraTensor() {
  const auto file = editedFile("extra.safetensors", [](std::vector<NamedTensor>& tensors) {
    tensors.push_back({"n9.weight", Shape{2, 2}, {1, 2, 3, 4}});
  });
  expectRefused(file, {"the file has tensor 'n9.weight' [2, 2], which the network does not"});
}

void WeightsFileTest::refusesUnreadableFile() {
  expectRefused(path("nothing-here.safetensors"), {"No such file or directory"});
  // Cut off in the middle of the data.
  {
    std::ifstream in(m_saved, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::ofstream(path("cut.safetensors"), std::ios::binary) << bytes.substr(0, bytes.size() - 10);
  }
  expectRefused(path("cut.safetensors"), {"cut.safetensors", "lie outside"});
}

QTEST_APPLESS_MAIN(WeightsFileTest)
#include "tst_weights_file.moc"
