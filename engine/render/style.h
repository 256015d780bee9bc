// Terminal styling for renderers: ANSI colours only on a TTY and never with NO_COLOR (no-color.org).
#pragma once

#include <string>
#include <string_view>

namespace hainfra::render {

// Colour is used when the output is a terminal and NO_COLOR is unset or empty.
bool UseColor(bool is_tty, const char* no_color_env);

// Wraps text in ANSI codes when enabled; plain text otherwise.
class Style {
 public:
  explicit Style(bool color) : color_(color) {}

  std::string Green(std::string_view text) const { return Wrap("32", text); }
  std::string Yellow(std::string_view text) const { return Wrap("33", text); }
  std::string Red(std::string_view text) const { return Wrap("31", text); }
  std::string Magenta(std::string_view text) const { return Wrap("35", text); }
  std::string BoldRed(std::string_view text) const { return Wrap("1;31", text); }
  std::string Bold(std::string_view text) const { return Wrap("1", text); }
  std::string Dim(std::string_view text) const { return Wrap("2", text); }

 private:
  std::string Wrap(std::string_view code, std::string_view text) const;
  bool color_;
};

}  // namespace hainfra::render
