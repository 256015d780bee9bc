// Small helpers of the transport tests: an environment from a map (the EnvLookup seam, no setenv()) and a
// substring check for error messages and logs.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "providers/transport/environment.h"

namespace hainfra::testing {

// An environment holding exactly `values`; a name not in it is unset.
inline transport::EnvLookup EnvOf(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// Whether `part` occurs in `text`.
inline bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace hainfra::testing
