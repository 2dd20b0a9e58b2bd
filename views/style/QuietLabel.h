#pragma once
// QuietLabel: a QLabel in a box that never asks the window to lay itself out again, for text that changes many
// times a second while training (the run's status, a live prediction). A plain QLabel calls updateGeometry() on
// every setText(), and that climbs every layout up to the main window: each change of the status text re-laid out
// all the docks on the UI thread. The box has no layout, so the request stops at it; its size hint is fixed —
// `lines` lines of text — and the label fills it and draws its text (word-wrapped, or elided when it is one line).
#include <QLabel>
#include <QWidget>

namespace ffn::views {

class QuietLabel : public QWidget {
  Q_OBJECT

 public:
  explicit QuietLabel(int lines = 1, QWidget* parent = nullptr);

  void setText(const QString& text);
  QString text() const { return m_label->text(); }
  void clear() { setText(QString()); }
  QLabel* label() const { return m_label; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  QLabel* m_label;
  int m_lines;
};

}  // namespace ffn::views
