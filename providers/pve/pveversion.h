// `pveversion -v`: Proxmox's own list of the packages that make up a node (pve-manager, the kernel, qemu,
// corosync, ceph, …) with their versions — the key packages of the version-unison report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::pve {

struct PackageVersion {
  std::string name;
  std::string version;  // "" when not installed ("not correctly installed", "residual config", ...)
  std::string note;     // what follows the version, e.g. "running kernel: 6.17.2-1-pve"; or the state text
};

// Parses `pveversion -v` output (`name: version (note)` lines), in order; a name listed twice is kept once.
// Lines that are not `name: value` are an error naming the line.
Result<std::vector<PackageVersion>> ParsePveversion(std::string_view text);

}  // namespace hainfra::pve
