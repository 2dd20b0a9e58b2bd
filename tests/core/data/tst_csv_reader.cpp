// CsvReader: numbers, quoting, line ends and labels parsed as documented, and every malformed table refused with a
// message that names the line and the column.
#include <QTemporaryDir>
#include <QtTest>

#include "core/data/CsvReader.h"
#include "tests/core/data/DataTestFiles.h"

using namespace ffn;
using namespace ffn::test;

class CsvReaderTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void numericLabelsKeptAsGiven();
  void stringLabelsInOrderOfFirstAppearance();
  void quotedFieldsCrlfAndBlankLines();
  void explicitFeatureColumns();
  void readsFile();
  void errors_data();
  void errors();
};

namespace {

std::unique_ptr<TensorDataset> parseOk(const std::string& text, const CsvOptions& options = {}) {
  auto parsed = CsvReader::parse(text, options);
  if (!parsed) {
    qWarning("%s", parsed.message().c_str());
    return nullptr;
  }
  return std::move(parsed).value();
}

}  // namespace

void CsvReaderTest::numericLabelsKeptAsGiven() {
  auto data = parseOk("a,b,label\n1.5,-2,0\n3e2,4,2\n");
  QVERIFY(data);
  QCOMPARE(data->size(), std::int64_t{2});
  QCOMPARE(data->sampleShape(), (Shape{2}));
  // Label 1 never occurs, yet stays a class: integer labels are class ids.
  QCOMPARE(data->classCount(), 3);
  QCOMPARE(data->classNames(), (std::vector<std::string>{"0", "1", "2"}));
  QCOMPARE(data->label(0), 0);
  QCOMPARE(data->label(1), 2);
  const std::vector<float> expected{1.5f, -2.0f, 300.0f, 4.0f};
  QVERIFY(std::equal(expected.begin(), expected.end(), data->features().begin()));
}

void CsvReaderTest::stringLabelsInOrderOfFirstAppearance() {
  CsvOptions options;
  options.labelColumn = "species";
  auto data = parseOk("x,species\n1,virginica\n2,setosa\n3,virginica\n4,versicolor\n", options);
  QVERIFY(data);
  QCOMPARE(data->classNames(), (std::vector<std::string>{"virginica", "setosa", "versicolor"}));
  QCOMPARE(data->label(0), 0);
  QCOMPARE(data->label(1), 1);
  QCOMPARE(data->label(2), 0);
  QCOMPARE(data->label(3), 2);
}

void CsvReaderTest::quotedFieldsCrlfAndBlankLines() {
  // Quoted header with a comma, quoted numbers with spaces around, an escaped quote and a line break inside a
  // quoted label, CRLF line ends, a blank line, and no final line end.
  const std::string text =
      "\"petal, width\", sepal ,label\r\n"
      "\" 1.25 \", 2 ,\"say \"\"hi\"\"\"\r\n"
      "\r\n"
      "3,4,\"two\nlines\"\r\n"
      "5 , 6,\"say \"\"hi\"\"\"";
  auto data = parseOk(text);
  QVERIFY(data);
  QCOMPARE(data->size(), std::int64_t{3});
  QCOMPARE(data->classNames(), (std::vector<std::string>{"say \"hi\"", "two\nlines"}));
  QCOMPARE(data->label(2), 0);
  const std::vector<float> expected{1.25f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f};
  QVERIFY(std::equal(expected.begin(), expected.end(), data->features().begin()));
}

void CsvReaderTest::explicitFeatureColumns() {
  CsvOptions options;
  options.featureColumns = {"c", "a"};
  auto data = parseOk("a,b,c,label\n1,x,3,1\n4,y,6,0\n", options);  // b is not numeric but not used
  QVERIFY(data);
  QCOMPARE(data->sampleShape(), (Shape{2}));
  const std::vector<float> expected{3.0f, 1.0f, 6.0f, 4.0f};
  QVERIFY(std::equal(expected.begin(), expected.end(), data->features().begin()));

  options.featureColumns = {"a", "petal"};
  auto unknown = CsvReader::parse("a,b,c,label\n1,x,3,1\n", options);
  QVERIFY(!unknown.ok());
  QVERIFY2(unknown.message().find("no feature column 'petal'") != std::string::npos, unknown.message().c_str());
  options.featureColumns = {"a", "label"};
  auto both = CsvReader::parse("a,b,c,label\n1,x,3,1\n", options);
  QVERIFY(!both.ok());
  QVERIFY2(both.message().find("'label' cannot be both the label and a feature") != std::string::npos,
           both.message().c_str());
}

void CsvReaderTest::readsFile() {
  QTemporaryDir dir;
  const std::string path = (dir.path() + "/iris.csv").toStdString();
  QVERIFY(writeText(path, "f,label\n0.5,b\n0.25,a\n"));
  auto data = CsvReader::readFile(path);
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE((*data)->features()[1], 0.25f);
  QCOMPARE((*data)->classNames(), (std::vector<std::string>{"b", "a"}));

  auto missing = CsvReader::readFile(path + ".missing");
  QVERIFY(!missing.ok());
  QVERIFY2(missing.message().find("iris.csv.missing': file not found") != std::string::npos, missing.message().c_str());
}

void CsvReaderTest::errors_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("labelColumn");
  QTest::addColumn<QString>("expected");
  QTest::newRow("not a number") << "sepal,petal_width,label\n1,2,a\n1,abc,b\n" << "label"
                                << "line 3, column 'petal_width': 'abc' is not a number";
  QTest::newRow("not finite") << "x,label\n1,a\nnan,b\n" << "label" << "line 3, column 'x': 'nan' is not a finite number";
  QTest::newRow("missing value") << "a,b,label\n1,,0\n" << "label" << "line 2, column 'b': missing value";
  QTest::newRow("missing label") << "a,label\n1,0\n\n2,\n" << "label" << "line 4, column 'label': missing value";
  QTest::newRow("ragged row") << "a,b,label\n1,2,0\n1,2\n" << "label" << "line 3: 2 fields, but the header has 3 columns";
  QTest::newRow("ragged after quoted line break") << "a,label\n1,\"x\ny\"\n1,2,3\n" << "label"
                                                  << "line 4: 3 fields, but the header has 2 columns";
  QTest::newRow("empty file") << "" << "label" << "the file is empty";
  QTest::newRow("only blank lines") << "\n\r\n\n" << "label" << "the file is empty";
  QTest::newRow("header only") << "a,label\n" << "label" << "header but no data rows";
  QTest::newRow("unknown label column") << "a,b\n1,2\n" << "species" << "no label column 'species'; the columns are a, b";
  QTest::newRow("no features") << "label\n1\n" << "label" << "no feature columns";
  QTest::newRow("duplicate column") << "a,a,label\n1,2,0\n" << "label" << "names column 'a' twice";
  QTest::newRow("unclosed quote") << "a,label\n1,\"open\n2,0\n" << "label" << "line 2: a quoted field is never closed";
  QTest::newRow("text after quote") << "a,label\n\"1\"x,0\n" << "label" << "line 2: unexpected text after a closing quote";
  QTest::newRow("huge class id") << "a,label\n1,123456\n" << "label" << "line 2, column 'label': class 123456 is too large";
}

void CsvReaderTest::errors() {
  QFETCH(QString, text);
  QFETCH(QString, labelColumn);
  QFETCH(QString, expected);
  CsvOptions options;
  options.labelColumn = labelColumn.toStdString();
  auto parsed = CsvReader::parse(text.toStdString(), options, "table.csv");
  QVERIFY(!parsed.ok());
  QVERIFY2(parsed.message().starts_with("table.csv: "), parsed.message().c_str());
  QVERIFY2(parsed.message().find(expected.toStdString()) != std::string::npos, parsed.message().c_str());
}

QTEST_APPLESS_MAIN(CsvReaderTest)
#include "tst_csv_reader.moc"
