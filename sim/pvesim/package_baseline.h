// The Proxmox packages a freshly installed node reports in /nodes/{node}/apt/versions, per PVE version
// (versions of the 9.1.1 and 8.4.1 releases), and the version strings /version and pveversion show.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

struct PveRelease {
  std::string release;       // "9.1"
  std::string version;       // "9.1.1" (pve-manager)
  std::string repoid;        // "42db4a6cf33dac83"
  std::string kernel;        // "6.17.2-1-pve"
  std::string kernel_build;  // "#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)"
  std::string ceph;          // "19.2.3-pve4"
};

const PveRelease& ReleaseOf(int pve);

// Package name -> installed version of a fresh node, in apt/versions order (see OrderedPackages).
std::map<std::string, std::string> BaselinePackages(int pve);
// apt/versions order: proxmox-ve, pve-manager, kernels, then the rest by name.
std::vector<std::string> OrderedPackages(const std::map<std::string, std::string>& installed);

// The release of the newest kernel an apt/versions answer lists as installed ("6.17.4-2-pve"): image
// packages (proxmox-kernel-6.17.4-2-pve-signed) name it; a lone meta package (proxmox-kernel-6.17 at
// 6.17.4-2, as pvelab's stand-in) gives its version. "" when none.
std::string NewestInstalledKernel(const nlohmann::json& apt_versions);

// One apt/versions entry.
nlohmann::json AptVersionEntry(int pve, const std::string& package, const std::string& version);

}  // namespace pvesim
