// The apt commands a package baseline runs on a node, as argument vectors (every value one argument, quoted by
// the SSH client): non-interactive, existing config files kept, waiting for dpkg's lock instead of failing;
// and `apt-cache madison` parsed, to check versions before anything changes.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hainfra::node {

// How long apt waits for another apt/dpkg holding the lock (unattended-upgrades, a person) before failing.
inline constexpr std::chrono::seconds kDpkgLockWait{300};

// One transaction: each element is `name` (install the candidate), `name=version` (exactly that version,
// up- or downgrading), or `name-` (remove). apt resolves all of it before changing anything. With
// `simulate`, nothing is changed (apt-get -s) and no lock is taken.
std::vector<std::string> AptGetInstallArgv(const std::vector<std::string>& requests, bool simulate);

// `apt-get update`: refreshes the package index.
std::vector<std::string> AptGetUpdateArgv();

// `apt-mark hold|unhold PACKAGES`.
std::vector<std::string> AptMarkArgv(std::string_view action, const std::vector<std::string>& packages);

// `apt-cache madison PACKAGES`: the versions the configured repositories offer.
std::vector<std::string> AptCacheMadisonArgv(const std::vector<std::string>& packages);

// Package -> versions available from the repositories (binary packages only), from madison's
// ` name | version | source` lines. Unknown packages are simply absent.
std::map<std::string, std::vector<std::string>> ParseMadison(std::string_view text);

}  // namespace hainfra::node
