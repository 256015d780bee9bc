// `hainfra validate PATH...`: loads the spec and reports every problem as `file:line:col: error: message`,
// then a one-line summary.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hainfra::cli {

struct ValidateOptions {
  std::vector<std::string> paths;  // files and/or directories
  bool resolve_secrets = false;    // also resolve every ${env:...}/${file:...} (errors name what is missing)
  bool quiet = false;              // no summary when valid
};

// Prints diagnostics and the summary to `out`. Returns the exit code: 0 valid (warnings allowed), 1 invalid.
int RunValidate(const ValidateOptions& options, std::ostream& out);

}  // namespace hainfra::cli
