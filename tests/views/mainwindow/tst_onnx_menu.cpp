// File > Import/Export ONNX through the main window (answers from a FakePrompter): an exported model imports as a
// saved project with its weights beside it and computes the same outputs; export refuses an unsaved project and
// one without trained weights, saying so; a file that is not a model is refused and the open project stays.
#include <QTemporaryDir>
#include <QtTest>

#include "core/onnx/OnnxExport.h"
#include "core/project/ProjectFile.h"
#include "core/project/WeightsFile.h"
#include "tests/support/TestSupport.h"
#include "tests/views/ViewTestSupport.h"
#include "views/document/NetworkDocument.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

class OnnxMenuTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;
  CpuBackend m_backend;
  QString path(const QString& name) const { return m_dir.filePath(name); }

  std::unique_ptr<Network> network(const Graph& graph, std::uint64_t seed) {
    auto net = Network::compile(graph, m_backend);
    if (!net.ok()) qFatal("%s", net.message().c_str());
    (*net)->initializeWeights(seed);
    return std::move(*net);
  }

 private Q_SLOTS:
  void initTestCase() {
    isolate(QStringLiteral("tst_onnx_menu"));
    QVERIFY(m_dir.isValid());
  }

  void importThenExportKeepsTheFunction() {
    const Graph graph = chainGraph(Shape{4}, {{"Dense", Json{{"units", 6}}}, {"Tanh"}, {"Dense", Json{{"units", 3}}}});
    auto original = network(graph, 3);
    QVERIFY(writeOnnx(*original, path("model.onnx").toStdString()).ok());

    FakePrompter prompter;
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.startUp(QString());
    prompter.openPath = path("model.onnx");
    prompter.savePath = path("imported.ffnlab");
    QVERIFY(w.controller()->importOnnxModel());
    QVERIFY2(prompter.errors.isEmpty(), qPrintable(prompter.errors.join('\n')));
    QCOMPARE(w.document()->filePath(), QFileInfo(path("imported.ffnlab")).absoluteFilePath());
    QVERIFY(!w.document()->isModified());
    QVERIFY(w.document()->check().ok());
    QVERIFY(QFileInfo::exists(path("imported.safetensors")));

    // The imported project with its weights computes what the original does.
    auto twin = network(w.document()->graph(), 77);
    QVERIFY(loadWeights(*twin, path("imported.safetensors").toStdString()).ok());
    const Tensor x = randomTensor(Shape{3, 4}, 5);
    const Tensor expected = original->forward(x, false);
    const Tensor& got = twin->forward(x, false);
    for (std::int64_t i = 0; i < got.size(); ++i) QVERIFY(std::abs(got.at(i) - expected.at(i)) <= 1e-6f);

    // And it exports again.
    prompter.savePath = path("again.onnx");
    QVERIFY(w.controller()->exportOnnxModel());
    QVERIFY(prompter.errors.isEmpty());
    QVERIFY(QFileInfo(path("again.onnx")).size() > 0);
  }

  void exportNeedsSavedProjectAndWeights() {
    FakePrompter prompter;
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.startUp(QString());  // the default example: an unsaved copy
    prompter.savePath = path("never.onnx");
    QVERIFY(!w.controller()->exportOnnxModel());
    QCOMPARE(prompter.errors.size(), 1);
    QVERIFY(prompter.errors.front().contains("Save the project first"));

    prompter.savePath = path("untrained.ffnlab");
    QVERIFY(w.controller()->saveAs());
    QVERIFY(!w.controller()->exportOnnxModel());
    QCOMPARE(prompter.errors.size(), 2);
    QVERIFY2(prompter.errors.back().contains("untrained.safetensors"), qPrintable(prompter.errors.back()));
    QVERIFY(!QFileInfo::exists(path("never.onnx")));
  }

  void importRefusesWhatIsNotAModel() {
    QFile bad(path("bad.onnx"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("definitely not protobuf");
    bad.close();
    FakePrompter prompter;
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.startUp(QString());
    const Graph before = w.document()->graph();
    prompter.openPath = path("bad.onnx");
    prompter.savePath = path("bad.ffnlab");
    QVERIFY(!w.controller()->importOnnxModel());
    QCOMPARE(prompter.errors.size(), 1);
    QVERIFY2(prompter.errors.front().contains("bad.onnx"), qPrintable(prompter.errors.front()));
    QCOMPARE(w.document()->graph().nodes().size(), before.nodes().size());
    QVERIFY(!QFileInfo::exists(path("bad.ffnlab")));
  }
};

QTEST_MAIN(OnnxMenuTest)
#include "tst_onnx_menu.moc"
