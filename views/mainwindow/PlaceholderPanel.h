#pragma once
// PlaceholderPanel: a dock's content until its part of the lab is built — a title and a sentence saying what will
// be there, so the layout (and where things will be) can be arranged and remembered today.
#include <QWidget>

namespace ffn::views {

class PlaceholderPanel : public QWidget {
  Q_OBJECT

 public:
  PlaceholderPanel(const QString& title, const QString& text, QWidget* parent = nullptr);
};

}  // namespace ffn::views
