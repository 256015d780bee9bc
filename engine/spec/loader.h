// Loading the spec: YAML files and directories in, desired resources and every problem out, all at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hainfra/location.h"
#include "hainfra/spec.h"

namespace hainfra::spec {

struct LoadResult {
  Spec spec;
  Diagnostics diagnostics;  // errors and warnings, all at once, in file order
};

// Loads files and/or directories (every *.yaml and *.yml below them, sorted by path, merged into one spec).
// Never throws; the spec is usable only when `diagnostics` has no errors.
LoadResult LoadSpec(const std::vector<std::string>& paths);

// Loads one spec from text, as if read from `file_name` (tests, stdin).
LoadResult LoadSpecText(std::string_view text, std::string file_name);

}  // namespace hainfra::spec
