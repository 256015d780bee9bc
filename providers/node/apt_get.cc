#include "providers/node/apt_get.h"
#include "providers/pve/text.h"

#include <algorithm>

namespace hainfra::node {
namespace {

std::string LockOption() { return "DPkg::Lock::Timeout=" + std::to_string(kDpkgLockWait.count()); }

}  // namespace

std::vector<std::string> AptGetInstallArgv(const std::vector<std::string>& requests, bool simulate) {
  // `env` sets the frontend for apt and the maintainer scripts it runs; force-confdef/confold keep a
  // changed config file instead of asking (the node's admin edited it; a baseline never overwrites it).
  // A pin below the installed version is a declared downgrade: apt refuses those under -y unless allowed.
  std::vector<std::string> argv = {"env",
                                   "DEBIAN_FRONTEND=noninteractive",
                                   "apt-get",
                                   "install",
                                   "-y",
                                   "-q",
                                   "--allow-downgrades",
                                   "-o",
                                   LockOption(),
                                   "-o",
                                   "Dpkg::Options::=--force-confdef",
                                   "-o",
                                   "Dpkg::Options::=--force-confold"};
  if (simulate) argv.push_back("--simulate");
  argv.insert(argv.end(), requests.begin(), requests.end());
  return argv;
}

std::vector<std::string> AptGetUpdateArgv() {
  return {"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-q", "-o", LockOption()};
}

std::vector<std::string> AptMarkArgv(std::string_view action, const std::vector<std::string>& packages) {
  std::vector<std::string> argv = {"apt-mark", "-o", LockOption(), std::string(action)};
  argv.insert(argv.end(), packages.begin(), packages.end());
  return argv;
}

std::vector<std::string> AptCacheMadisonArgv(const std::vector<std::string>& packages) {
  std::vector<std::string> argv = {"apt-cache", "madison"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  return argv;
}

std::map<std::string, std::vector<std::string>> ParseMadison(std::string_view text) {
  std::map<std::string, std::vector<std::string>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const size_t a = line.find('|');
    const size_t b = a == std::string_view::npos ? a : line.find('|', a + 1);
    if (b == std::string_view::npos) continue;
    const std::string_view name = pve::TrimBlanks(line.substr(0, a));
    const std::string_view version = pve::TrimBlanks(line.substr(a + 1, b - a - 1));
    const std::string_view source = pve::TrimBlanks(line.substr(b + 1));
    if (name.empty() || version.empty() || source.ends_with("Sources")) continue;  // deb-src entries
    std::vector<std::string>& versions = out[std::string(name)];
    if (std::find(versions.begin(), versions.end(), version) == versions.end()) versions.emplace_back(version);
  }
  return out;
}

}  // namespace hainfra::node
