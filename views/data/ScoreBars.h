#pragma once
// ScoreBars: a network's score for every class of one sample, as labelled horizontal bars — the predicted class
// in its class colour, the true class marked — so a class sees at a glance what the network thinks and how sure.
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ffn::views {

class ScoreBars : public QWidget {
  Q_OBJECT

 public:
  explicit ScoreBars(QWidget* parent = nullptr);
  void setScores(const std::vector<float>& scores, const QStringList& classNames, int label, bool probabilities);
  void clear();
  const std::vector<float>& scores() const { return m_scores; }
  // Where class c's row (name, bar and value) is drawn; empty for a class it has no score for.
  QRect rowRect(int c) const;
  int rowHeight() const;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::vector<float> m_scores;
  QStringList m_names;
  int m_label = -1;
  bool m_probabilities = false;
};

}  // namespace ffn::views
