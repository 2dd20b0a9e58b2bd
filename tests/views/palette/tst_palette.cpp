// The palette lists every node kind of the core registry, grouped by category, each with an icon; it filters as
// you type, and offers a kind for dragging (MIME data) and for adding with Enter.
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

#include "core/graph/NodeKind.h"
#include "views/document/MimeTypes.h"
#include "views/palette/KindTree.h"
#include "views/palette/PaletteWidget.h"

using ffn::views::PaletteWidget;

class PaletteTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void listsEveryKindUnderItsCategory() {
    PaletteWidget palette;
    const auto& kinds = ffn::NodeKindRegistry::builtin().kinds();
    QCOMPARE(palette.visibleKinds().size(), qsizetype(kinds.size()));
    for (const ffn::NodeKind& kind : kinds) {
      QTreeWidgetItem* item = palette.itemForKind(QString::fromStdString(kind.name));
      QVERIFY2(item, kind.name.c_str());
      QCOMPARE(item->parent()->text(0), QString::fromStdString(kind.category));
      QVERIFY(!item->icon(0).isNull());
      QVERIFY(item->toolTip(0).contains(QString::fromStdString(kind.summary).toHtmlEscaped()));
    }
  }

  void searchFilters() {
    PaletteWidget palette;
    palette.show();
    QTest::keyClicks(palette.searchField(), "relu");
    QCOMPARE(palette.visibleKinds(), QStringList{"ReLU"});
    palette.setFilter("image");  // a category name shows the whole category
    QVERIFY(palette.visibleKinds().contains("Conv2d") && palette.visibleKinds().contains("Flatten"));
    QVERIFY(!palette.visibleKinds().contains("Dense"));
    palette.setFilter("squashes");  // words of the summary match too
    QVERIFY(palette.visibleKinds().contains("Tanh") && palette.visibleKinds().contains("Sigmoid"));
    palette.setFilter("no such layer");
    QVERIFY(palette.visibleKinds().isEmpty());
    palette.setFilter(QString());
    QCOMPARE(palette.visibleKinds().size(), qsizetype(ffn::NodeKindRegistry::builtin().kinds().size()));
  }

  void enterAddsTheFirstMatch() {
    PaletteWidget palette;
    palette.show();
    QSignalSpy activated(&palette, &PaletteWidget::kindActivated);
    QTest::keyClicks(palette.searchField(), "sigm");
    QTest::keyClick(palette.searchField(), Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), QString("Sigmoid"));
  }

  void dragPayloadNamesTheKind() {
    PaletteWidget palette;
    QTreeWidget* tree = palette.tree();  // mimeData() is what a drag from it carries
    std::unique_ptr<QMimeData> data(tree->model()->mimeData({tree->indexFromItem(palette.itemForKind("Conv2d"))}));
    QVERIFY(data);
    QCOMPARE(data->data(ffn::views::kNodeKindMimeType), QByteArray("Conv2d"));
    // Categories are headings, not draggable kinds.
    std::unique_ptr<QMimeData> none(tree->model()->mimeData({tree->indexFromItem(tree->topLevelItem(0))}));
    QVERIFY(!none);
  }
};

QTEST_MAIN(PaletteTest)
#include "tst_palette.moc"
