#include "views/mainwindow/PlaceholderPanel.h"

#include <QLabel>
#include <QVBoxLayout>

namespace ffn::views {

PlaceholderPanel::PlaceholderPanel(const QString& title, const QString& text, QWidget* parent) : QWidget(parent) {
  auto* heading = new QLabel(title);
  QFont font = heading->font();
  font.setBold(true);
  heading->setFont(font);
  auto* body = new QLabel(text);
  body->setWordWrap(true);
  body->setForegroundRole(QPalette::PlaceholderText);
  for (QLabel* label : {heading, body}) label->setAlignment(Qt::AlignHCenter);
  auto* layout = new QVBoxLayout(this);
  layout->addStretch(1);
  layout->addWidget(heading);
  layout->addWidget(body);
  layout->addStretch(1);
}

}  // namespace ffn::views
