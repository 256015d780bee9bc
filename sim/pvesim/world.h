// A world: the cluster pvesim starts from when its state dir is empty — a bare cluster as the installer
// and `pvecm create/add` leave it (NICs, vmbr0 with the management address, local + local-lvm, optional
// Ceph), extended by a world file or the benchmark generator with guests and config files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/backends.h"
#include "sim/pvesim/guest_config.h"
#include "sim/pvesim/options.h"
#include "sim/pvesim/runtime_state.h"

namespace pvesim {

struct WorldNode {
  std::string name;
  std::string address;        // management address (vmbr0)
  bool member = true;         // in corosync.conf (false: installed, not joined)
  bool online = true;
  std::vector<std::string> nics = {"eno1", "eno2", "eno3", "eno4"};
};

struct WorldVm {
  int vmid = 0;
  std::string type = "qemu";  // or "lxc": a container (nodes/<node>/lxc/<vmid>.conf)
  std::string node;
  ConfigMap config;
  bool running = false;
};

struct WorldSpec {
  int pve = 9;
  std::string cluster_name = "pvesim";
  std::string gateway;
  int prefix = 24;
  std::vector<WorldNode> nodes;
  bool ceph = false;
  bool clustered = true;  // false: no corosync.conf, the first node is standalone
  std::vector<WorldVm> vms;
  std::map<std::string, std::string> files;  // /etc/pve files, replacing the defaults
  std::map<std::string, std::map<std::string, std::string>> node_files;  // node -> path -> content
};

// The bare cluster from --nodes/--spare-nodes/--cluster-name/--mgmt-cidr/--ceph/--pve.
Result<WorldSpec> DefaultWorld(const Options& options);
// A world file (JSON; see docs/pvesim.md) on top of the defaults.
Result<WorldSpec> LoadWorldFile(const std::string& path, const Options& options);
// --generate nodes=16,vms=2000,ha=200,vlans=40,pools=8[,cts=0][,running=0.5]
Result<WorldSpec> GenerateWorld(const std::string& spec, const Options& options);

// Writes a world into fresh backends and runtime state. `cert_pem` is each node's pve-ssl.pem.
Status SeedWorld(const WorldSpec& world, Backends& backends, RuntimeState& runtime, const Credentials& credentials,
                 const std::string& cert_pem);

// The network ADDRESS is in, as "a.b.c.0/PREFIX" (the lab and the worlds use /24-style prefixes).
std::string SubnetOf(const std::string& address, int prefix);

// `pveceph init` + monitors on the first nodes + the mgr's pool: sets the runtime's Ceph state and returns the
// /etc/pve files to write (ceph.conf, the admin keyring). MONS: (node, address) pairs.
std::map<std::string, std::string> InitCeph(RuntimeState& runtime,
                                            const std::vector<std::pair<std::string, std::string>>& mons,
                                            const std::string& network);

// A random locally administered MAC in Proxmox's default BC:24:11 prefix.
std::string RandomMac();

}  // namespace pvesim
