#include "sim/pvesim/world.h"

#include <arpa/inet.h>

#include <fstream>
#include <random>
#include <sstream>

#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/interfaces_file.h"
#include "sim/pvesim/memory_cluster_fs.h"
#include "sim/pvesim/params.h"
#include "sim/pvesim/sim_node_facts.h"

namespace pvesim {

using json = nlohmann::json;

std::string RandomMac() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "BC:24:11:%02X:%02X:%02X", static_cast<unsigned>(rng() & 0xff),
                static_cast<unsigned>(rng() & 0xff), static_cast<unsigned>(rng() & 0xff));
  return buf;
}

Result<WorldSpec> DefaultWorld(const Options& options) {
  WorldSpec w;
  w.pve = options.pve;
  w.cluster_name = options.cluster_name;
  auto slash = options.mgmt_cidr.find('/');
  in_addr base{};
  if (slash == std::string::npos || inet_pton(AF_INET, options.mgmt_cidr.substr(0, slash).c_str(), &base) != 1)
    return Die("bad management network '" + options.mgmt_cidr + "'");
  w.prefix = std::stoi(options.mgmt_cidr.substr(slash + 1));
  uint32_t net = ntohl(base.s_addr) & (w.prefix == 0 ? 0 : ~((1u << (32 - w.prefix)) - 1));
  auto addr = [&](uint32_t host) {
    in_addr a{};
    a.s_addr = htonl(net + host);
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return std::string(buf);
  };
  w.gateway = addr(1);
  uint32_t host = 11;
  for (const auto& name : options.nodes) w.nodes.push_back({name, addr(host++), true, true});
  for (const auto& name : options.spare_nodes) w.nodes.push_back({name, addr(host++), false, true});
  for (auto& n : w.nodes)
    for (const auto& off : options.offline_nodes)
      if (n.name == off) n.online = false;
  w.ceph = options.ceph;
  w.clustered = !options.no_cluster;
  return w;
}

namespace {

std::string StorageCfg() {
  return "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup,import\n\n"
         "lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n\n";
}

std::map<std::string, std::string> AptSources(int pve) {
  if (pve == 8) {
    return {
        {"/etc/apt/sources.list",
         "deb http://ftp.debian.org/debian bookworm main contrib\n"
         "deb http://ftp.debian.org/debian bookworm-updates main contrib\n\n"
         "# security updates\n"
         "deb http://security.debian.org bookworm-security main contrib\n"},
        {"/etc/apt/sources.list.d/pve-enterprise.list", "deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n"},
        {"/etc/apt/sources.list.d/ceph.list", "deb https://enterprise.proxmox.com/debian/ceph-quincy bookworm enterprise\n"},
    };
  }
  const std::string keyring = "Signed-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n";
  return {
      {"/etc/apt/sources.list.d/debian.sources",
       "Types: deb\nURIs: http://deb.debian.org/debian/\nSuites: trixie trixie-updates\n"
       "Components: main contrib non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
       "Types: deb\nURIs: http://security.debian.org/debian-security/\nSuites: trixie-security\n"
       "Components: main contrib non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"},
      {"/etc/apt/sources.list.d/pve-enterprise.sources",
       "Types: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\n" + keyring},
      {"/etc/apt/sources.list.d/ceph.sources",
       "Types: deb\nURIs: https://enterprise.proxmox.com/debian/ceph-squid\nSuites: trixie\nComponents: enterprise\n" + keyring},
  };
}

}  // namespace

std::string SubnetOf(const std::string& address, int prefix) {
  return address.substr(0, address.rfind('.')) + ".0/" + std::to_string(prefix);
}

std::map<std::string, std::string> InitCeph(RuntimeState& runtime,
                                            const std::vector<std::pair<std::string, std::string>>& mons,
                                            const std::string& network) {
  runtime.ceph.initialized = true;
  runtime.ceph.fsid = RandomUuid();
  for (const auto& [name, address] : mons) runtime.ceph.mons.push_back(name);
  runtime.ceph.osds_per_node = 2;
  // The mgr creates its own pool.
  runtime.ceph.pools[".mgr"] = {{"size", 3}, {"min_size", 2}, {"pg_num", 1}, {"pg_num_min", 1},
                                 {"pg_autoscale_mode", "on"}, {"application", "mgr"}, {"crush_rule", "replicated_rule"},
                                 {"id", runtime.ceph.next_pool_id++}};
  std::string mon_hosts;
  for (const auto& [name, address] : mons) mon_hosts += (mon_hosts.empty() ? "" : " ") + address;
  std::string raw = "[global]\n\tauth_client_required = cephx\n\tauth_cluster_required = cephx\n\tauth_service_required = cephx\n"
                    "\tcluster_network = " + network + "\n\tfsid = " + runtime.ceph.fsid + "\n\tmon_allow_pool_delete = true\n"
                    "\tmon_host = " + mon_hosts + "\n\tms_bind_ipv4 = true\n\tms_bind_ipv6 = false\n"
                    "\tosd_pool_default_min_size = 2\n\tosd_pool_default_size = 3\n\tpublic_network = " + network + "\n\n"
                    "[client]\n\tkeyring = /etc/pve/priv/$cluster.$name.keyring\n\n"
                    "[client.crash]\n\tkeyring = /etc/pve/ceph/$cluster.$name.keyring\n\n";
  for (const auto& [name, address] : mons) raw += "[mon." + name + "]\n\tpublic_addr = " + address + "\n\n";
  return {{"ceph.conf", raw}, {"priv/ceph.client.admin.keyring", "[client.admin]\n\tkey = (simulated)\n"}};
}

Status SeedWorld(const WorldSpec& w, Backends& backends, RuntimeState& runtime, const Credentials& credentials,
                 const std::string& cert_pem) {
  MemoryClusterFs* fs = backends.memory_fs;
  SimNodeFacts* facts = backends.sim_facts;
  if (!fs || !facts) return Die("a world can only be seeded into the simulator's own backends");
  std::vector<const WorldNode*> members;
  for (const auto& n : w.nodes) {
    facts->AddNode(n.name, n.address);
    if (n.member) members.push_back(&n);
  }
  // pvecm create on the first member, pvecm add for the others: one config_version bump each.
  if (!members.empty() && w.clustered) {
    json conf = NewCorosyncConf(w.cluster_name, members[0]->name, 1, 1, {{0, members[0]->address}});
    BumpConfigVersion(conf);
    for (size_t i = 1; i < members.size(); ++i) {
      conf["nodelist"]["node"][members[i]->name] = {{"name", members[i]->name}, {"nodeid", std::to_string(i + 1)},
                                                    {"quorum_votes", "1"}, {"ring0_addr", members[i]->address}};
      BumpConfigVersion(conf);
    }
    fs->Seed("corosync.conf", WriteCorosyncConf(conf));
  }
  fs->Seed("storage.cfg", StorageCfg());
  fs->Seed("datacenter.cfg", "keyboard: en-us\n");
  std::string user_cfg = "user:root@pam:1:0:::root@pam.invalid:::\n";
  std::string token_cfg;
  for (const auto& [tokenid, secret] : credentials.token_secrets) {
    user_cfg += "token:" + tokenid + ":0:0::\n";
    token_cfg += tokenid + " " + secret + "\n";
  }
  fs->Seed("user.cfg", user_cfg + "\n");
  fs->Seed("priv/token.cfg", token_cfg);
  fs->Seed("authkey.pub", "-----BEGIN PUBLIC KEY-----\n(simulated)\n-----END PUBLIC KEY-----\n");
  for (const auto& n : w.nodes) {
    fs->Seed("nodes/" + n.name + "/pve-ssl.pem", cert_pem);
    fs->Seed("nodes/" + n.name + "/lrm_status", "{\"mode\":\"active\",\"results\":{},\"state\":\"wait_for_agent_lock\",\"timestamp\":0}");
    std::string cidr = n.address + "/" + std::to_string(w.prefix);
    (void)facts->WriteNodeFile(n.name, "/etc/network/interfaces", InstallerInterfaces(n.nics, cidr, w.gateway));
    for (const auto& [path, content] : AptSources(w.pve)) (void)facts->WriteNodeFile(n.name, path, content);
    (void)facts->WriteNodeFile(n.name, "/etc/hostname", n.name + "\n");
    if (!n.online) (void)facts->SetOnline(n.name, false);
  }
  if (w.ceph) {
    std::vector<std::pair<std::string, std::string>> mons;
    for (size_t i = 0; i < members.size() && i < 3; ++i) mons.emplace_back(members[i]->name, members[i]->address);
    std::string network = w.nodes.empty() ? "" : SubnetOf(w.nodes[0].address, w.prefix);
    for (const auto& [path, content] : InitCeph(runtime, mons, network)) fs->Seed(path, content);
  }
  for (const auto& vm : w.vms) {
    GuestConfig conf;
    conf.main = vm.config;
    const char* dir = vm.type == "lxc" ? "/lxc/" : "/qemu-server/";
    fs->Seed("nodes/" + vm.node + dir + std::to_string(vm.vmid) + ".conf", WriteGuestConfig(conf));
    VmRuntime rt;
    rt.running = vm.running;
    rt.qmpstatus = vm.running ? "running" : "stopped";
    rt.started = vm.running ? static_cast<int64_t>(std::time(nullptr)) - 3600 : 0;
    rt.pid = vm.running ? static_cast<uint32_t>(10000 + vm.vmid) : 0;
    runtime.vms[vm.vmid] = rt;
  }
  for (const auto& [path, content] : w.files) fs->Seed(path, content);
  for (const auto& [node, files] : w.node_files)
    for (const auto& [path, content] : files) (void)facts->WriteNodeFile(node, path, content);
  for (const auto& n : w.nodes) runtime.ha.lrm_mode[n.name] = "active";
  return Ok();
}

Result<WorldSpec> LoadWorldFile(const std::string& path, const Options& options) {
  std::ifstream in(path);
  if (!in) return Die("unable to read world file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  json j;
  try {
    j = json::parse(ss.str());
  } catch (const json::exception& e) {
    return Die("world file '" + path + "': " + e.what());
  }
  Options o = options;
  try {
    if (j.contains("pve")) o.pve = j["pve"].get<int>();
    if (j.contains("cluster_name")) o.cluster_name = j["cluster_name"].get<std::string>();
    if (j.contains("mgmt_cidr")) o.mgmt_cidr = j["mgmt_cidr"].get<std::string>();
    if (j.contains("ceph")) o.ceph = j["ceph"].get<bool>();
    if (j.contains("nodes")) {
      o.nodes.clear();
      o.spare_nodes.clear();
      for (const auto& n : j["nodes"]) {
        std::string name = n.is_string() ? n.get<std::string>() : n.at("name").get<std::string>();
        bool member = n.is_object() ? n.value("member", true) : true;
        (member ? o.nodes : o.spare_nodes).push_back(name);
      }
    }
    auto w = DefaultWorld(o);
    if (!w) return w;
    if (j.contains("nodes")) {
      for (const auto& n : j["nodes"]) {
        if (!n.is_object()) continue;
        for (auto& wn : w->nodes) {
          if (wn.name != n.at("name").get<std::string>()) continue;
          if (n.contains("address")) wn.address = n["address"].get<std::string>();
          if (n.contains("online")) wn.online = n["online"].get<bool>();
          if (n.contains("nics")) wn.nics = n["nics"].get<std::vector<std::string>>();
        }
      }
    }
    for (const auto& v : j.value("vms", json::array())) {
      WorldVm vm;
      vm.vmid = v.at("vmid").get<int>();
      vm.node = v.at("node").get<std::string>();
      vm.running = v.value("running", false);
      vm.type = v.value("type", "qemu");
      const json config = v.value("config", json::object());
      for (const auto& [k, val] : config.items()) vm.config[k] = ScalarText(val);
      w->vms.push_back(vm);
    }
    w->files = j.value("files", std::map<std::string, std::string>{});
    w->node_files = j.value("node_files", std::map<std::string, std::map<std::string, std::string>>{});
    return w;
  } catch (const json::exception& e) {
    return Die("world file '" + path + "': " + e.what());
  }
}

}  // namespace pvesim
