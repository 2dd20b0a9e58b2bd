// MemberOrderStudy: N for a rate replayed over random orders of the same members, on members whose votes are
// worked out by hand; order 0 is the index order (EnsembleCurve's own N); the quantile helper.
#include <QtTest>

#include <set>

#include "core/rules/EnsembleCurve.h"
#include "core/rules/MemberOrderStudy.h"

using namespace ffn;

namespace {

Tensor row(float a, float b) {
  const float values[] = {a, b};
  return Tensor(Shape{1, 2}, values);
}

// One test input whose target bits are [1, 0]. Member 0 alone votes right; members 1 and 2 each pull the other
// way by 0.2, too little to outvote it: a prefix votes right iff it contains member 0, so N is member 0's
// position in the order (1, 2 or 3).
MemberOrderStudy oneGoodTwoWeak() {
  MemberOrderStudy study;
  study.reset(row(1, 0), 0.0);
  study.add(0, row(1.0f, -1.0f));
  study.add(2, row(-0.2f, 0.2f));  // out of order on purpose
  study.add(1, row(-0.2f, 0.2f));
  return study;
}

}  // namespace

class MemberOrderStudyTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void firstOrderIsTheIndexOrder() {
    const MemberOrderStudy study = oneGoodTwoWeak();
    QCOMPARE(study.members(), 3);
    EnsembleCurve curve;
    curve.reset(row(1, 0), 0.0);
    curve.add(0, row(1.0f, -1.0f));
    curve.add(1, row(-0.2f, 0.2f));
    curve.add(2, row(-0.2f, 0.2f));
    QCOMPARE(study.membersFor(1.0, 1, 7).at(0), curve.membersFor(1.0));
    QCOMPARE(curve.membersFor(1.0), 1);
  }

  void ordersSpreadOverThePositionsOfTheGoodMember() {
    const MemberOrderStudy study = oneGoodTwoWeak();
    const std::vector<int> n = study.membersFor(1.0, 300, 11);
    QCOMPARE(n.size(), std::size_t{300});
    const std::set<int> seen(n.begin(), n.end());
    QCOMPARE(seen, (std::set<int>{1, 2, 3}));  // member 0 first, second or last
    // About a third each (binomial, 300 draws: 100 +- 3 sigma = 100 +- 25; seeded, so this never flickers).
    for (int value : {1, 2, 3}) {
      const auto count = std::count(n.begin(), n.end(), value);
      QVERIFY2(count > 70 && count < 130, qPrintable(QString("N=%1 in %2 of 300 orders").arg(value).arg(count)));
    }
    QCOMPARE(study.membersFor(1.0, 300, 11), n);  // the same seed, the same orders
    QVERIFY(study.membersFor(1.0, 300, 12) != n);
  }

  void neverReachedIsMinusOne() {
    MemberOrderStudy study;
    study.reset(row(1, 0), 0.0);
    study.add(0, row(-1.0f, 1.0f));
    study.add(1, row(-1.0f, 1.0f));
    QCOMPARE(study.membersFor(0.9, 5, 1), (std::vector<int>(5, -1)));
  }

  void quantilesCountNeverReachedAsLargest() {
    QCOMPARE(quantileOfMembersFor({3, 1, -1, 2}, 0.1), 1);
    QCOMPARE(quantileOfMembersFor({3, 1, -1, 2}, 0.5), 2);
    QCOMPARE(quantileOfMembersFor({3, 1, -1, 2}, 0.75), 3);
    QCOMPARE(quantileOfMembersFor({3, 1, -1, 2}, 1.0), -1);
    QCOMPARE(quantileOfMembersFor({}, 0.5), -1);
  }
};

QTEST_APPLESS_MAIN(MemberOrderStudyTest)
#include "tst_member_order_study.moc"
