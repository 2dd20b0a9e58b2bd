#pragma once
// Presenter mode's text sizes, in one place. The window's font grows by kPresenterFontScale (every widget's text);
// views that draw their own text for the back of the room (charts, the permutation matrix) grow it by a further
// kPresenterDrawnTextScale on top, ~1.9x the normal size in all, because their labels are read from farther
// away than menus and buttons.
namespace ffn::views {

constexpr double kPresenterFontScale = 1.35;
constexpr double kPresenterDrawnTextScale = 1.4;

}  // namespace ffn::views
