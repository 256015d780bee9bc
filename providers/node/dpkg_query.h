// Reading a node's dpkg database over SSH: one `dpkg-query -W` for exactly the packages a baseline names
// (name, version, selection and status), and its output parsed into installed versions and holds.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::node {

struct PackageState {
  std::string version;    // installed (or last known) version; "" when dpkg knows none
  bool installed = false;  // dpkg status `installed` (unpacked or half-configured packages are not)
  bool held = false;       // selection `hold` (apt-mark hold)
  std::string status;      // dpkg's status word: installed, config-files, not-installed, half-configured, ...
};

// Package name -> state, for the packages dpkg knows; a name missing here is not installed.
using PackageStates = std::map<std::string, PackageState>;

// argv of the query for `packages` (each an argument: nothing is interpreted by a shell or as a pattern).
std::vector<std::string> DpkgQueryArgv(const std::vector<std::string>& packages);

// Whether the query's exit status means success: 0, or 1 when some names are unknown to dpkg.
bool DpkgQuerySucceeded(int exit_status);

// Parses the query's output: lines `name<TAB>version<TAB>selection flag status`. A package listed twice
// (several architectures) counts as installed when any entry is.
Result<PackageStates> ParseDpkgQuery(std::string_view text);

}  // namespace hainfra::node
