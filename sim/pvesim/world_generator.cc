// --generate: a large world for benchmarks (issue 7: 16 nodes, 2,000 VMs, 200 HA resources, 40 VLANs, optional containers,
// 8 pools), deterministic for a given spec so runs are comparable.
#include <random>
#include <set>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/world.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

std::string Mac(std::mt19937& rng) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "BC:24:11:%02X:%02X:%02X", static_cast<unsigned>(rng() & 0xff),
                static_cast<unsigned>(rng() & 0xff), static_cast<unsigned>(rng() & 0xff));
  return buf;
}

}  // namespace

Result<WorldSpec> GenerateWorld(const std::string& spec, const Options& options) {
  std::map<std::string, double> p = {{"nodes", 16}, {"vms", 2000}, {"ha", 200}, {"vlans", 40}, {"pools", 8},
                                     {"cts", 0}, {"running", 0.5}};
  for (const auto& item : SplitList(spec)) {
    auto eq = item.find('=');
    if (eq == std::string::npos || !p.contains(item.substr(0, eq)))
      return Die("--generate: '" + item + "' is not one of nodes=, vms=, ha=, vlans=, pools=, cts=, running=");
    try {
      p[item.substr(0, eq)] = std::stod(item.substr(eq + 1));
    } catch (...) {
      return Die("--generate: '" + item + "' needs a number");
    }
  }
  int nodes = static_cast<int>(p["nodes"]), vms = static_cast<int>(p["vms"]), ha = static_cast<int>(p["ha"]);
  int vlans = static_cast<int>(p["vlans"]), pools = static_cast<int>(p["pools"]);
  if (nodes < 1 || vms < 0 || ha < 0 || ha > vms || vlans < 0 || vlans > 4000 || pools < 0)
    return Die("--generate: counts out of range (ha <= vms, vlans <= 4000, nodes >= 1)");
  Options o = options;
  o.nodes.clear();
  for (int i = 1; i <= nodes; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "pve-%02d", i);
    o.nodes.push_back(buf);
  }
  auto w = DefaultWorld(o);
  if (!w) return w;
  std::mt19937 rng(options.seed ? options.seed : 42);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::set<std::string> macs;  // random MACs collide (2,000 guests: ~12% odds); Proxmox's never share one
  for (int i = 0; i < vms; ++i) {
    WorldVm vm;
    vm.vmid = 100 + i;
    vm.node = o.nodes[static_cast<size_t>(i) % o.nodes.size()];
    vm.running = i < ha || coin(rng) < p["running"];
    std::string id = std::to_string(vm.vmid);
    std::string mac = Mac(rng);
    while (!macs.insert(mac).second) mac = Mac(rng);
    std::string net = "virtio=" + mac + ",bridge=vmbr0";
    if (vlans > 0) net += ",tag=" + std::to_string(100 + i % vlans);
    vm.config = {{"boot", "order=scsi0;net0"},
                 {"cores", std::to_string(1 << (i % 3))},
                 {"cpu", "x86-64-v2-AES"},
                 {"memory", std::to_string(1024 << (i % 3))},
                 {"meta", "creation-qemu=9.2.0,ctime=1735689600"},
                 {"name", "bench-" + id},
                 {"net0", net},
                 {"numa", "0"},
                 {"ostype", "l26"},
                 {"scsi0", "local-lvm:vm-" + id + "-disk-0,iothread=1,size=32G"},
                 {"scsihw", "virtio-scsi-single"},
                 {"smbios1", "uuid=" + UuidV4(rng)},
                 {"sockets", "1"},
                 {"tags", "bench"},
                 {"vmgenid", UuidV4(rng)}};
    w->vms.push_back(std::move(vm));
  }
  const int cts = static_cast<int>(p["cts"]);
  for (int i = 0; i < cts; ++i) {  // containers after the VMs' vmids
    WorldVm ct;
    ct.type = "lxc";
    ct.vmid = 100 + vms + i;
    ct.node = o.nodes[static_cast<size_t>(i) % o.nodes.size()];
    ct.running = coin(rng) < p["running"];
    std::string id = std::to_string(ct.vmid);
    std::string mac = Mac(rng);
    while (!macs.insert(mac).second) mac = Mac(rng);
    ct.config = {{"arch", "amd64"},
                 {"cores", std::to_string(1 << (i % 2))},
                 {"hostname", "bench-ct-" + id},
                 {"memory", std::to_string(512 << (i % 3))},
                 {"net0", "name=eth0,bridge=vmbr0,hwaddr=" + mac + ",ip=dhcp,type=veth"},
                 {"ostype", "debian"},
                 {"rootfs", "local-lvm:vm-" + id + "-disk-0,size=8G"},
                 {"swap", "512"},
                 {"tags", "bench"},
                 {"unprivileged", "1"}};
    w->vms.push_back(std::move(ct));
  }
  if (ha > 0) {
    std::string resources;
    for (int i = 0; i < ha; ++i) resources += "vm: " + std::to_string(100 + i) + "\n\tstate started\n\n";
    w->files["ha/resources.cfg"] = resources;
  }
  if (vlans > 0) {
    std::string zones = "vlan: bench\n\tbridge vmbr0\n\tipam pve\n\n";
    std::string vnets;
    json running_vnets = json::object();
    for (int i = 0; i < vlans; ++i) {
      std::string name = "vlan" + std::to_string(100 + i);
      vnets += "vnet: " + name + "\n\tzone bench\n\ttag " + std::to_string(100 + i) + "\n\n";
      running_vnets[name] = {{"type", "vnet"}, {"zone", "bench"}, {"tag", 100 + i}};
    }
    w->files["sdn/zones.cfg"] = zones;
    w->files["sdn/vnets.cfg"] = vnets;
    json running = {{"version", 1},
                    {"zones", {{"ids", {{"bench", {{"type", "vlan"}, {"bridge", "vmbr0"}, {"ipam", "pve"}}}}}}},
                    {"vnets", {{"ids", running_vnets}}},
                    {"subnets", {{"ids", json::object()}}},
                    {"controllers", {{"ids", json::object()}}}};
    w->files["sdn/.running-config"] = running.dump();
    w->files["sdn/.version"] = "1";
  }
  if (pools > 0) {
    std::string user_cfg = "user:root@pam:1:0:::root@pam.invalid:::\n";
    for (const auto& [tokenid, unused] : std::map<std::string, int>{{"root@pam!hainfra", 0}}) user_cfg += "token:" + tokenid + ":0:0::\n";
    for (int pi = 0; pi < pools; ++pi) {
      std::string members;
      for (int i = pi; i < vms; i += pools) members += (members.empty() ? "" : ",") + std::to_string(100 + i);
      user_cfg += "pool:pool" + std::to_string(pi + 1) + ":benchmark pool:" + members + "::\n";
    }
    w->files["user.cfg"] = user_cfg + "\n";
  }
  return w;
}

}  // namespace pvesim
