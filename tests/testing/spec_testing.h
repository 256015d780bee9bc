// Helpers for spec tests: load a spec from inline YAML and read its diagnostics as short lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/spec/loader.h"

namespace hainfra::testing {

// The file name inline specs are loaded as.
inline constexpr const char* kInlineFile = "spec.yaml";

// Loads `yaml` as the file spec.yaml.
spec::LoadResult LoadYaml(std::string_view yaml);

// Each diagnostic as "line:col: error: message" (the file name dropped when it is spec.yaml).
std::vector<std::string> Lines(const Diagnostics& diagnostics);

// Lines(LoadYaml(yaml).diagnostics).
std::vector<std::string> Diagnose(std::string_view yaml);

// The source checkout (tests read the examples and committed files from it).
std::string SourcePath(std::string_view relative);

}  // namespace hainfra::testing
