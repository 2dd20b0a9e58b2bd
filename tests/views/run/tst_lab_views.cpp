// What a class sees before and around a run, with real events in a 1440 x 900 window:
//  - the spiral's points are drawn as soon as the project opens (before Train), and again after Reset;
//  - a chart without points shows no axes (no made-up 0..1 frame) and its empty text, until the first step;
//  - the inspector's editors keep their full height (nothing clipped) in the docked layout, from the first frame;
//  - the run panel offers the permutation task (picked from the data menu by keyboard);
//  - a small NTK-ensemble run on the permutation task (k = 4, 6 members: seconds) draws exact match against
//    the ensemble size with the k ln k and k^2 reference lines, and the learned k x k matrix.
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>
#include <cmath>

#include "core/data/DataSpec.h"
#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DataSettingsBox.h"
#include "views/data/PermutationView.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/document/NetworkDocument.h"
#include "views/inspector/InspectorWidget.h"
#include "views/run/RunToolBar.h"
#include "views/run/TrainingPanel.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {


// Visible spin boxes, line edits and combo boxes under `root` that are lower than their size hint.
QStringList clippedEditors(QWidget* root, int* checked) {
  QStringList clipped;
  for (QWidget* editor : root->findChildren<QWidget*>()) {
    if (!editor->isVisible()) continue;
    if (!qobject_cast<QAbstractSpinBox*>(editor) && !qobject_cast<QLineEdit*>(editor) &&
        !qobject_cast<QComboBox*>(editor))
      continue;
    if (qobject_cast<QAbstractSpinBox*>(editor->parentWidget()) || qobject_cast<QComboBox*>(editor->parentWidget()))
      continue;  // a spin box's or an editable combo box's own line edit
    if (editor->height() < editor->sizeHint().height())
      clipped << QStringLiteral("%1: %2 < %3")
                     .arg(editor->objectName())
                     .arg(editor->height())
                     .arg(editor->sizeHint().height());
    ++*checked;
  }
  return clipped;
}

}  // namespace

class LabViewsTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_lab_views")); }
  void cleanup() { m_prompter.saveAnswers = {Prompter::SaveChoice::Discard}; }

  void dataAndEmptyChartsBeforeTrain() {
    auto w = exampleWindow(&m_prompter);  // the spiral
    TrainingViews* t = w->training();
    PlaneView* plane = t->data()->planePanel()->plane();
    QCOMPARE(t->data()->page(), 1);
    QVERIFY(plane->hasPlane());
    QVERIFY(plane->boundary().isNull());
    QVERIFY2(t->data()->description()->text().contains(QStringLiteral("Train")),
             qPrintable(t->data()->description()->text()));

    MetricChart* loss = t->charts()->chart(QStringLiteral("loss"));
    QVERIFY(loss);
    QVERIFY(!loss->hasData());
    QVERIFY(!loss->emptyText().isEmpty());
    for (QAbstractAxis* axis : loss->chart()->axes()) QVERIFY(!axis->isVisible());

    // The first step: axes and points; the boundary over the same points.
    click(t->toolBar(), t->toolBar()->actions().stepBatch);
    QTRY_VERIFY_WITH_TIMEOUT(loss->hasData(), 10000);
    for (QAbstractAxis* axis : loss->chart()->axes()) QVERIFY(axis->isVisible());
    QTRY_VERIFY(!plane->boundary().isNull());

    // Another data set before any run: the preview follows the data settings.
    click(t->toolBar(), t->toolBar()->actions().reset);
    QTRY_VERIFY(!t->runs()->hasLiveRun());
    QVERIFY(plane->hasPlane());
    Json moons = defaultDataSpec("moons");
    QVERIFY(w->document()->setSetting("/dataset", moons, QStringLiteral("moons")));
    QCOMPARE(t->data()->page(), 1);
    QVERIFY(t->data()->description()->text().contains(QStringLiteral("moons"), Qt::CaseInsensitive));
  }

  void inspectorEditorsAreNotClipped() {
    auto w = exampleWindow(&m_prompter);
    CanvasView* view = w->canvas();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense2")));
    QCoreApplication::processEvents();
    QTRY_VERIFY(w->inspector()->isVisible());
    int checked = 0;
    QStringList clipped = clippedEditors(w->inspector(), &checked);
    QVERIFY2(checked >= 3, qPrintable(QString::number(checked)));  // label, units, initialisation
    // Checked after one round of events, as the first frame after the click is drawn: the scroll area used to size
    // the page before the new editors were shown (the Label edit 10 px of 22 until a later resize).
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("; "))));

    // The Training dock rebuilds its rule's editors in the same way when another rule is picked.
    auto* dock = w->findChild<QDockWidget*>(QStringLiteral("trainingDock"));
    QVERIFY(dock);
    dock->raise();
    QComboBox* rules = w->training()->settings()->ruleBox();
    QTRY_VERIFY(rules->isVisible());
    for (int step = 0; step < 2; ++step) {  // forward-forward, then the next one: fresh rows each time
      rules->setFocus();
      const QString before = rules->currentText();
      QTest::keyClick(rules, Qt::Key_Down);
      QVERIFY(rules->currentText() != before);
      QCoreApplication::processEvents();
      checked = 0;
      clipped = clippedEditors(w->training()->settings(), &checked);
      QVERIFY2(checked >= 5, qPrintable(QString::number(checked)));
      QVERIFY2(clipped.isEmpty(), qPrintable(rules->currentText() + QStringLiteral(": ") +
                                             clipped.join(QStringLiteral("; "))));
    }
  }

  void runPanelOffersThePermutationTask() {
    auto w = exampleWindow(&m_prompter);
    QComboBox* kinds = w->training()->settings()->dataBox()->kindBox();
    const int index = kinds->findData(QStringLiteral("permutation"));
    QVERIFY(index >= 0);
    QCOMPARE(index, kinds->count() - 1);  // the last kind: End reaches it without passing the CSV import
    kinds->setFocus();
    QTest::keyClick(kinds, Qt::Key_End);
    QCOMPARE(kinds->currentIndex(), index);
    QCOMPARE(w->document()->project().dataset.value("kind", std::string()), std::string("permutation"));
    QCOMPARE(w->document()->project().dataset.value("k", 0), 10);
  }

  void ntkRunOnThePermutationTask() {
    QTemporaryDir dir;
    const QString path = smallPermutationProject(dir);
    QVERIFY(!path.isEmpty());
    auto w = exampleWindow(&m_prompter);
    QVERIFY(w->controller()->openFile(path));
    TrainingViews* t = w->training();
    QCOMPARE(w->document()->project().training.rule, std::string("ntk-ensemble"));
    click(t->toolBar(), t->toolBar()->actions().train);
    QTRY_COMPARE_WITH_TIMEOUT(t->runs()->state(), RunState::Finished, 60000);
    QCOMPARE(t->data()->page(), 3);

    // Exact match against the ensemble size: x runs up to the 6 members; k ln k and k^2 as vertical lines.
    MetricChart* chart = nullptr;
    QTRY_VERIFY((chart = t->charts()->chart(QStringLiteral("rule:ntk_exact_match"))) != nullptr);
    const QString test = ChartsPanel::lineKey(0, {"test_exact_match", true, {}, 0, 0, false, true, {}});
    QTRY_VERIFY(chart->hasLine(test) && !chart->points(test).isEmpty());
    const QList<QPointF> points = chart->points(test);
    QCOMPARE(points.last().x(), 6.0);
    for (const QPointF& p : points) QVERIFY(p.x() >= 0 && p.x() <= 6 && p.y() >= 0 && p.y() <= 1);
    const QList<QPointF> kLogK = chart->points(QStringLiteral("0/vertical0"));
    const QList<QPointF> kSquared = chart->points(QStringLiteral("0/vertical1"));
    QCOMPARE(kLogK.size(), qsizetype(2));
    QVERIFY(std::abs(kLogK.front().x() - 4 * std::log(4.0)) < 1e-6);
    QCOMPARE(kLogK.front().x(), kLogK.back().x());
    QCOMPARE(kSquared.front().x(), 16.0);
    QVERIFY(chart->visibleArea().right() >= 16.0);  // the axis reaches k^2

    // The learned permutation: 4 x 4, one target per row and per column, drawn as an image.
    PermutationView* matrix = t->data()->permutation();
    QTRY_COMPARE(matrix->matrix().k, 4);
    QCOMPARE(matrix->matrix().values.size(), std::size_t(16));
    float ones = 0;
    for (float v : matrix->matrix().targets) ones += v;
    QCOMPARE(ones, 4.0f);
    QVERIFY(matrix->matrix().exactRows >= 0 && matrix->matrix().exactRows <= 4);
    const QImage image = matrix->render(20);
    QVERIFY(!image.isNull());
    QCOMPARE(image.height(), 4 * 20 + 1);
    QVERIFY(matrix->caption().contains(QStringLiteral("k = 4")));
  }
};

QTEST_MAIN(LabViewsTest)
#include "tst_lab_views.moc"
