// Reading HAINFRA_* environment variables through a seam, so settings can be tested without setenv().
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace hainfra::transport {

// Returns the value of an environment variable, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv); an empty value counts as unset.
EnvLookup ProcessEnvironment();

// Expands a leading `~/` with $HOME (as ssh and curl users expect); other paths are returned unchanged.
std::string ExpandHome(const std::string& path, const EnvLookup& env);

}  // namespace hainfra::transport
