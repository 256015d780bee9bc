// GET /nodes/{node}/apt/repositories read into structured form, and Proxmox's standard repository handles
// (`no-subscription`, `ceph-squid-enterprise`, …): which repository lines a handle refers to, as proxmox-apt
// decides it (package type `deb`, one of the handle's URIs, the release's suite, the handle's component).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::pve {

// One repository of one sources file (a `.list` line or a deb822 stanza), by its position in that file.
struct AptRepository {
  std::string path;  // the file, e.g. /etc/apt/sources.list.d/ceph.sources
  int index = 0;     // its position in the file (what POST .../apt/repositories takes)
  std::vector<std::string> types, uris, suites, components;
  bool enabled = true;
};

struct AptRepositories {
  std::string digest;                                   // the digest of all files, for POST/PUT
  std::vector<AptRepository> repositories;              // every file's, in answer order
  std::map<std::string, std::optional<bool>> standard;  // handle -> status (nullopt: not configured)
  std::vector<std::string> offered;                     // the standard handles of this release, in order
  std::vector<std::string> errors;                      // files Proxmox could not parse ("path: error")

  // Whether Proxmox reports the handle configured and enabled.
  bool Enabled(std::string_view handle) const;
};

// Reads the `data` of GET /nodes/{node}/apt/repositories. Booleans may come as true/false or 0/1.
Result<AptRepositories> ParseAptRepositories(const Value& data);

// Every standard handle hainfra knows (all releases), for the spec's enum and for "disabled" checks.
const std::vector<std::string>& KnownRepositoryHandles();

// The Debian suite of a Proxmox VE major release: 8 -> bookworm, 9 -> trixie.
std::string DebianSuite(int pve_major);

// True when `repository` is one the handle refers to on a node of that suite (proxmox-apt's rule).
bool RefersTo(const AptRepository& repository, std::string_view handle, std::string_view suite);

}  // namespace hainfra::pve
