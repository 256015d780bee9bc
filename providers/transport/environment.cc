#include "providers/transport/environment.h"

#include <cstdlib>

namespace hainfra::transport {

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

std::string ExpandHome(const std::string& path, const EnvLookup& env) {
  if (path != "~" && !path.starts_with("~/")) return path;
  std::optional<std::string> home = env ? env("HOME") : std::nullopt;
  if (!home) return path;
  return *home + path.substr(1);
}

}  // namespace hainfra::transport
