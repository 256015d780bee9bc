#include "engine/render/style.h"

namespace hainfra::render {

bool UseColor(bool is_tty, const char* no_color_env) {
  return is_tty && (no_color_env == nullptr || *no_color_env == '\0');
}

std::string Style::Wrap(std::string_view code, std::string_view text) const {
  if (!color_) return std::string(text);
  return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
}

}  // namespace hainfra::render
