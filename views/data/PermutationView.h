#pragma once
// PermutationView: the permutation task as a class sees it — a k x k matrix whose row i is what the network makes
// of the basis vector e_i (white 0, dark blue 1, the mean output of the NTK ensemble), with the target P e_i
// ringed: a learned permutation is a dark cell in every ring and nothing else. Rows the rule decides wrong are
// marked red at the side. It only paints what the training thread computed.
#include <QWidget>

#include "views/run/RunUpdate.h"

namespace ffn::views {

class PermutationView : public QWidget {
  Q_OBJECT

 public:
  explicit PermutationView(QWidget* parent = nullptr);

  void setMatrix(const PermutationMatrix& matrix);
  void clear();
  const PermutationMatrix& matrix() const { return m_matrix; }
  // The matrix as drawn, `cell` pixels per entry (also what the view paints, scaled to fit).
  QImage render(int cell) const;
  QString caption() const;
  void setPresenterMode(bool on);

  QSize sizeHint() const override { return {360, 320}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  PermutationMatrix m_matrix;
  bool m_presenter = false;
};

}  // namespace ffn::views
