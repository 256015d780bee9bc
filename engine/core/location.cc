#include "hainfra/location.h"

#include <algorithm>

namespace hainfra {

std::string Location::ToString() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::ToString() const {
  std::string text = where.ToString();
  text += severity == Severity::kError ? ": error: " : ": warning: ";
  text += message;
  return text;
}

bool HasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace hainfra
