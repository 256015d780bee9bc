#include "tests/testing/spec_testing.h"

#include <cctype>

namespace hainfra::testing {

spec::LoadResult LoadYaml(std::string_view yaml) { return spec::LoadSpecText(yaml, kInlineFile); }

std::vector<std::string> Lines(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  const std::string prefix = std::string(kInlineFile) + ":";
  for (const Diagnostic& d : diagnostics) {
    std::string line = d.ToString();
    const bool located = line.size() > prefix.size() && std::isdigit(static_cast<unsigned char>(line[prefix.size()]));
    if (located && line.compare(0, prefix.size(), prefix) == 0) line.erase(0, prefix.size());
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Diagnose(std::string_view yaml) { return Lines(LoadYaml(yaml).diagnostics); }

std::string SourcePath(std::string_view relative) { return std::string(HAINFRA_SOURCE_DIR) + "/" + std::string(relative); }

}  // namespace hainfra::testing
