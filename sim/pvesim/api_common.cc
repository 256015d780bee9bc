#include "sim/pvesim/api_common.h"

#include <chrono>
#include <ctime>
#include <random>
#include <regex>
#include <sstream>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"

namespace pvesim {

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ClusterView ClusterViewFor(Simulator& sim, const std::string& node) {
  ClusterView view = sim.facts().ClusterSeenBy(node);
  bool member = false;
  for (auto& m : view.members) {
    m.local = m.name == node;
    member |= m.local;
  }
  if (member || !view.clustered) return view;
  ClusterView alone;
  alone.quorate = true;
  alone.expected_votes = alone.total_votes = alone.quorum = 1;
  alone.members.push_back({node, 0, 1, sim.facts().Address(node), true, true});
  return alone;
}

Status CheckCfsQuorum(Simulator& sim) {
  if (!sim.facts().Cluster().quorate) return Die("cluster not ready - no quorum?");
  return Ok();
}

std::map<int, std::string> VmList(Simulator& sim) {
  std::map<int, std::string> out;
  for (const auto& node : sim.fs().List("nodes")) {
    for (const auto& file : sim.fs().List("nodes/" + node + "/qemu-server")) {
      if (file.size() < 6 || !file.ends_with(".conf")) continue;
      std::string id = file.substr(0, file.size() - 5);
      if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) continue;
      out[std::stoi(id)] = node;
    }
  }
  return out;
}

std::string GuestConfPath(const std::string& node, int vmid) {
  return "nodes/" + node + "/qemu-server/" + std::to_string(vmid) + ".conf";
}

Result<GuestConfig> LoadGuest(Simulator& sim, const std::string& node, int vmid) {
  std::string path = GuestConfPath(node, vmid);
  auto raw = sim.fs().Read(path);
  if (!raw) return Die("Configuration file '" + path + "' does not exist");
  return ParseGuestConfig(*raw);
}

Status SaveGuest(Simulator& sim, const std::string& node, int vmid, const GuestConfig& conf) {
  return sim.fs().Write(GuestConfPath(node, vmid), WriteGuestConfig(conf));
}

json Index(std::initializer_list<const char*> names, const char* key) {
  json out = json::array();
  for (const char* n : names) out.push_back({{key, n}});
  return out;
}

SectionFile ReadSections(Simulator& sim, const std::string& path, const SectionSchema& schema) {
  return ParseSectionConfig(sim.fs().Read(path).value_or(""), schema);
}

Status WriteSections(Simulator& sim, const std::string& path, const SectionFile& file, const SectionSchema& schema) {
  return sim.fs().Write(path, WriteSectionConfig(file, schema));
}

Status AssertDigest(const std::optional<std::string>& given, const std::string& current) {
  if (given && !given->empty() && *given != current)
    return Die("detected modified configuration - file changed by other user? Try again.");
  return Ok();
}

namespace {
uint64_t HashOf(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}
const int64_t kStartTime = Now();
}  // namespace

std::string NewUuid() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return UuidV4(rng);
}

uint64_t MemoryMiB(const std::string& memory) {
  PropertyMap m = SplitLoose(memory);
  std::string v = m.contains("current") ? m["current"] : m.contains("") ? m[""] : "512";
  try {
    return std::stoull(v);
  } catch (...) {
    return 512;
  }
}

bool IsDriveKey(const std::string& key) {
  // ^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$ without std::regex (hot: every key of every guest).
  if (key == "efidisk0" || key == "tpmstate0") return true;
  for (std::string_view bus : {"ide", "sata", "scsi", "virtio"}) {
    if (key.size() > bus.size() && key.compare(0, bus.size(), bus) == 0) {
      return std::all_of(key.begin() + static_cast<long>(bus.size()), key.end(),
                         [](unsigned char ch) { return std::isdigit(ch) != 0; });
    }
  }
  return false;
}

NodeUsage NodeUsageOf(Simulator& sim, const std::string& node) {
  NodeUsage u;
  uint64_t h = HashOf(node);
  u.maxcpu = 16;
  u.maxmem = 64ull << 30;
  u.maxdisk = 100ull << 30;
  u.disk = (8ull << 30) + (h % (4ull << 30));
  u.swap_total = 8ull << 30;
  uint64_t used = (3ull << 30) + h % (1ull << 30);
  double cpu = 0.01 + static_cast<double>(h % 100) / 10000.0;
  auto vms = VmList(sim);
  std::lock_guard<std::mutex> lock(sim.mu());
  for (const auto& [vmid, vnode] : vms) {
    if (vnode != node) continue;
    auto it = sim.runtime().vms.find(vmid);
    if (it == sim.runtime().vms.end() || !it->second.running) continue;
    std::string path = GuestConfPath(vnode, vmid);
    auto raw = sim.fs().Read(path);
    if (!raw) continue;
    const GuestConfig& conf = *sim.config_cache().Guest(path, *raw);
    used += MemoryMiB(conf.main.contains("memory") ? conf.main.at("memory") : "512") * (1ull << 20) * 6 / 10;
    cpu += 0.005;
  }
  u.mem = std::min(used, u.maxmem);
  u.cpu = std::min(cpu, 1.0);
  u.uptime = Now() - kStartTime + 86400 + static_cast<int64_t>(h % 3600);
  return u;
}

GuestUsage GuestUsageOf(Simulator& sim, int vmid, const ConfigMap& conf) {
  GuestUsage g;
  auto get = [&](const char* k, const std::string& def) {
    auto it = conf.find(k);
    return it == conf.end() ? def : it->second;
  };
  int sockets = std::stoi(get("sockets", "1")), cores = std::stoi(get("cores", "1"));
  int vcpus = std::stoi(get("vcpus", "0"));
  g.maxcpu = vcpus > 0 ? vcpus : sockets * cores;
  g.maxmem = MemoryMiB(get("memory", "512")) << 20;
  for (const auto& [k, v] : conf) {
    if (!IsDriveKey(k) || v.find("media=cdrom") != std::string::npos) continue;
    PropertyMap d = SplitLoose(v);
    if (d.contains("size")) {
      if (auto bytes = ParseSize(d["size"])) {
        g.maxdisk = *bytes;
        break;
      }
    }
  }
  auto it = sim.runtime().vms.find(vmid);
  if (it != sim.runtime().vms.end() && it->second.running) {
    g.running = true;
    g.pid = it->second.pid;
    g.uptime = std::max<int64_t>(1, Now() - it->second.started);
    g.mem = g.maxmem * 45 / 100;
    g.cpu = 0.01 + static_cast<double>(HashOf(std::to_string(vmid)) % 50) / 1000.0;
  }
  return g;
}

std::map<std::string, std::vector<int>> PoolMembers(Simulator& sim) {
  std::map<std::string, std::vector<int>> out;
  std::istringstream in(sim.fs().Read("user.cfg").value_or(""));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("pool:", 0) != 0) continue;
    std::vector<std::string> f;
    std::string cur;
    for (char c : line) {
      if (c == ':') { f.push_back(cur); cur.clear(); } else cur += c;
    }
    f.push_back(cur);
    if (f.size() < 2) continue;
    auto& members = out[f[1]];
    if (f.size() > 3)
      for (const auto& v : SplitList(f[3]))
        if (v.find_first_not_of("0123456789") == std::string::npos) members.push_back(std::stoi(v));
  }
  return out;
}

}  // namespace pvesim
