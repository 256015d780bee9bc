#include "providers/pve/pveversion.h"
#include "providers/pve/text.h"

#include <algorithm>

namespace hainfra::pve {
namespace {

// The states pveversion prints instead of a version (PVE::API2::APT's package states).
bool IsStateText(std::string_view value) {
  return value == "not correctly installed" || value == "residual config" || value == "not installed" ||
         value.starts_with("unknown");
}

}  // namespace

Result<std::vector<PackageVersion>> ParsePveversion(std::string_view text) {
  std::vector<PackageVersion> out;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = pve::TrimBlanks(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0 || line.substr(0, colon).find(' ') != std::string_view::npos) {
      return Fail(Code::kInternal, "pveversion -v line " + std::to_string(line_number) + " is not `package: version`: " +
                                       std::string(line.substr(0, 120)));
    }
    PackageVersion p;
    p.name = std::string(line.substr(0, colon));
    const std::string_view value = pve::TrimBlanks(line.substr(colon + 2));
    if (IsStateText(value)) {
      p.note = std::string(value);
    } else {
      const size_t space = value.find(' ');
      p.version = std::string(value.substr(0, space));
      if (space != std::string_view::npos) {
        std::string_view note = pve::TrimBlanks(value.substr(space + 1));
        if (note.starts_with('(') && note.ends_with(')')) note = note.substr(1, note.size() - 2);
        p.note = std::string(note);
      }
    }
    const bool seen = std::any_of(out.begin(), out.end(), [&](const PackageVersion& q) { return q.name == p.name; });
    if (!seen) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace hainfra::pve
