// Cross-checks the spec's ranges and enums against the official PVE API schemas in ../shared/pve-api, so a
// value hainfra accepts is one Proxmox accepts too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "hainfra/value.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

const Value* FindPath(const Value& nodes, const std::string& path) {
  for (const Value& n : nodes) {
    if (n.value("path", "") == path) return &n;
    if (n.contains("children")) {
      if (const Value* found = FindPath(n["children"], path)) return found;
    }
  }
  return nullptr;
}

// The parsed schema of one PVE version, loaded once.
const Value& Api(int version) {
  static std::map<int, Value> cache;
  auto it = cache.find(version);
  if (it != cache.end()) return it->second;
  const std::string file =
      std::string(HAINFRA_SHARED_DIR) + "/pve-api/pve" + std::to_string(version) + "-api-schema.json";
  std::ifstream in(file);
  return cache[version] = in ? Value::parse(in, nullptr, false) : Value();
}

class PveApi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Api(9).is_discarded() || Api(9).is_null() || Api(8).is_discarded() || Api(8).is_null()) {
      GTEST_SKIP() << "PVE API schemas not found under " << HAINFRA_SHARED_DIR << "/pve-api (HAINFRA_SHARED_DIR)";
    }
  }

  // The schema of a parameter; `sub` names a key of a property-string parameter ("net[n]" -> "tag").
  static const Value& Param(const std::string& path, const std::string& method, const std::string& name,
                            const std::string& sub = "", int version = 9) {
    const Value* node = FindPath(Api(version), path);
    if (node == nullptr) throw std::runtime_error("no path " + path);
    const Value& p = node->at("info").at(method).at("parameters").at("properties").at(name);
    return sub.empty() ? p : p.at("format").at(sub);
  }

  static const FieldSpec& Ours(const std::string& kind, const std::string& path) {
    const FieldSpec* f = &FindSection(kind)->item;
    size_t start = 0;
    while (true) {
      const size_t dot = path.find('.', start);
      if (f->type == FieldType::kList || f->type == FieldType::kMap) f = &f->element.front();
      f = FindField(*f, path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (f == nullptr) throw std::runtime_error("no field " + path);
      if (dot == std::string::npos) return *f;
      start = dot + 1;
    }
  }

  static std::optional<int64_t> Bound(const Value& p, const char* key) {
    if (!p.contains(key)) return std::nullopt;
    return p[key].is_string() ? std::stoll(p[key].get<std::string>()) : p[key].get<int64_t>();
  }

  // Our min/max equal Proxmox's (absent on both sides counts as equal).
  static void ExpectSameRange(const FieldSpec& ours, const Value& theirs, const std::string& what) {
    EXPECT_EQ(ours.min, Bound(theirs, "minimum")) << what << " minimum";
    EXPECT_EQ(ours.max, Bound(theirs, "maximum")) << what << " maximum";
  }

  static std::set<std::string> Enum(const Value& p) { return p.at("enum").get<std::set<std::string>>(); }
  static std::set<std::string> Enum(const FieldSpec& f) {
    return std::set<std::string>(f.enum_values.begin(), f.enum_values.end());
  }
};

constexpr const char* kQemu = "/nodes/{node}/qemu";
constexpr const char* kPool = "/nodes/{node}/ceph/pool";
constexpr const char* kNetwork = "/nodes/{node}/network";

TEST_F(PveApi, VmRangesMatchQemuServer) {
  ExpectSameRange(Ours("vm", "vmid"), Param(kQemu, "POST", "vmid"), "vmid");
  ExpectSameRange(Ours("vm", "cores"), Param(kQemu, "POST", "cores"), "cores");
  ExpectSameRange(Ours("vm", "sockets"), Param(kQemu, "POST", "sockets"), "sockets");
  ExpectSameRange(Ours("vm", "vcpus"), Param(kQemu, "POST", "vcpus"), "vcpus");
  ExpectSameRange(Ours("vm", "balloon"), Param(kQemu, "POST", "balloon"), "balloon");
  ExpectSameRange(Ours("vm", "memory"), Param(kQemu, "POST", "memory", "current"), "memory");
  EXPECT_EQ(Ours("vm", "description").max_length, Param(kQemu, "POST", "description")["maxLength"].get<size_t>());
  ExpectSameRange(Ours("vm", "nets.tag"), Param(kQemu, "POST", "net[n]", "tag"), "net tag");
  ExpectSameRange(Ours("vm", "nets.mtu"), Param(kQemu, "POST", "net[n]", "mtu"), "net mtu");
  ExpectSameRange(Ours("vm", "nets.queues"), Param(kQemu, "POST", "net[n]", "queues"), "net queues");
  EXPECT_EQ(Ours("vm", "disks.serial").max_length,
            Param(kQemu, "POST", "scsi[n]", "serial")["maxLength"].get<size_t>());
}

TEST_F(PveApi, VmEnumsMatchQemuServer) {
  EXPECT_EQ(Enum(Ours("vm", "bios")), Enum(Param(kQemu, "POST", "bios")));
  EXPECT_EQ(Enum(Ours("vm", "ostype")), Enum(Param(kQemu, "POST", "ostype")));
  EXPECT_EQ(Enum(Ours("vm", "scsihw")), Enum(Param(kQemu, "POST", "scsihw")));
  EXPECT_EQ(Enum(Ours("vm", "nets.model")), Enum(Param(kQemu, "POST", "net[n]", "model")));
  EXPECT_EQ(Enum(Ours("vm", "disks.cache")), Enum(Param(kQemu, "POST", "scsi[n]", "cache")));
  EXPECT_EQ(Enum(Ours("vm", "efi_disk.efitype")), Enum(Param(kQemu, "POST", "efidisk0", "efitype")));
  EXPECT_EQ(Enum(Ours("vm", "cloud_init.type")), Enum(Param(kQemu, "POST", "citype")));
  EXPECT_EQ(Enum(Ours("vm", "vga.type")), Enum(Param(kQemu, "POST", "vga", "type")));
  EXPECT_EQ(Enum(Ours("vm", "tpm_state.version")), Enum(Param(kQemu, "POST", "tpmstate0", "version")));
  // hainfra writes only image formats a VM disk is created with; Proxmox also reads old ones.
  for (const std::string& f : Ours("vm", "disks.format").enum_values) {
    EXPECT_EQ(Enum(Param(kQemu, "POST", "scsi[n]", "format")).count(f), 1u) << f;
  }
  // The machine pattern is Proxmox's own.
  EXPECT_EQ(Ours("vm", "machine").pattern, "^" + Param(kQemu, "POST", "machine", "type")["pattern"].get<std::string>() + "$");
}

TEST_F(PveApi, CephPoolRangesMatchPveManager) {
  for (const char* f : {"size", "min_size", "pg_num", "pg_num_min"}) {
    ExpectSameRange(Ours("ceph_pool", f), Param(kPool, "POST", f), f);
  }
  EXPECT_EQ(Enum(Ours("ceph_pool", "pg_autoscale_mode")), Enum(Param(kPool, "POST", "pg_autoscale_mode")));
  EXPECT_EQ(Enum(Ours("ceph_pool", "application")), Enum(Param(kPool, "POST", "application")));
  ExpectSameRange(Ours("ceph_pool", "erasure_coding.k"), Param(kPool, "POST", "erasure-coding", "k"), "k");
  ExpectSameRange(Ours("ceph_pool", "erasure_coding.m"), Param(kPool, "POST", "erasure-coding", "m"), "m");
  // Perl's (?^:^...$) is our ^...$.
  EXPECT_EQ("(?^:" + Ours("ceph_pool", "name").pattern + ")", Param(kPool, "POST", "name")["pattern"]);
  EXPECT_EQ("^" + Ours("ceph_pool", "target_size").pattern.substr(1), Param(kPool, "POST", "target_size")["pattern"]);
}

TEST_F(PveApi, NodeNetworkMatchesTheNetworkApi) {
  ExpectSameRange(Ours("node", "network.mtu"), Param(kNetwork, "POST", "mtu"), "mtu");
  ExpectSameRange(Ours("node", "network.vlan_id"), Param(kNetwork, "POST", "vlan-id"), "vlan-id");
  EXPECT_EQ(Enum(Ours("node", "network.bond_mode")), Enum(Param(kNetwork, "POST", "bond_mode")));
  EXPECT_EQ(Enum(Ours("node", "network.hash_policy")), Enum(Param(kNetwork, "POST", "bond_xmit_hash_policy")));
  EXPECT_EQ(Ours("node", "network.iface").max_length, Param(kNetwork, "POST", "iface")["maxLength"].get<size_t>());
  for (const std::string& t : Ours("node", "network.type").enum_values) {
    EXPECT_EQ(Enum(Param(kNetwork, "POST", "type")).count(t), 1u) << t;
  }
  // Cluster-wide link facts: corosync link priority, votes and node ids of a join.
  ExpectSameRange(Ours("cluster", "corosync.links.priority"), Param("/cluster/config", "POST", "link[n]", "priority"),
                  "link priority");
  EXPECT_EQ(Ours("cluster", "name").max_length, Param("/cluster/config", "POST", "clustername")["maxLength"].get<size_t>());
  ExpectSameRange(Ours("node", "corosync.votes"), Param("/cluster/config/join", "POST", "votes"), "votes");
  ExpectSameRange(Ours("node", "corosync.nodeid"), Param("/cluster/config/join", "POST", "nodeid"), "nodeid");
}

TEST_F(PveApi, VlanTagsFitBothSdnAndNetworkRanges) {
  const FieldSpec& tag = Ours("vlan", "tag");
  const Value& vnet = Param("/cluster/sdn/vnets", "POST", "tag");
  EXPECT_GE(*tag.min, Bound(vnet, "minimum").value());
  EXPECT_LE(*tag.max, Bound(vnet, "maximum").value());
  ExpectSameRange(tag, Param(kNetwork, "POST", "vlan-id"), "VLAN zone tag");
  EXPECT_EQ(Ours("vlan", "alias").max_length, Param("/cluster/sdn/vnets", "POST", "alias")["maxLength"].get<size_t>());
}

TEST_F(PveApi, HaMatchesPveHaManager) {
  const Value& state = Param("/cluster/ha/resources", "POST", "state");
  std::set<std::string> ours = Enum(Ours("ha_resource", "state"));
  EXPECT_EQ(ours.erase("absent"), 1u);  // hainfra's own: remove the resource
  EXPECT_EQ(ours, Enum(state));
  ExpectSameRange(Ours("ha_resource", "max_restart"), Param("/cluster/ha/resources", "POST", "max_restart"), "restart");
  ExpectSameRange(Ours("ha_resource", "max_relocate"), Param("/cluster/ha/resources", "POST", "max_relocate"),
                  "relocate");
  EXPECT_EQ(Ours("ha_resource", "comment").max_length,
            Param("/cluster/ha/resources", "POST", "comment")["maxLength"].get<size_t>());
  EXPECT_EQ(Enum(Ours("ha_rule", "type")), Enum(Param("/cluster/ha/rules", "POST", "type")));
  EXPECT_EQ(Enum(Ours("ha_rule", "affinity")), Enum(Param("/cluster/ha/rules", "POST", "affinity")));
  // PVE 8 has HA groups (and no rules); the group fields are there.
  const Value& groups8 = FindPath(Api(8), "/cluster/ha/groups")->at("info").at("POST").at("parameters").at("properties");
  for (const char* f : {"restricted", "nofailback", "comment", "nodes"}) EXPECT_TRUE(groups8.contains(f)) << f;
  EXPECT_EQ(FindPath(Api(8), "/cluster/ha/rules"), nullptr);
  EXPECT_EQ(Enum(Ours("ha_resource", "state")).count("started"), 1u);
  EXPECT_EQ(Enum(Param("/cluster/ha/resources", "POST", "state", "", 8)), Enum(state));
}

TEST_F(PveApi, StorageAndBackupMatchTheirApis) {
  for (const std::string& t : Ours("storage", "type").enum_values) {
    EXPECT_EQ(Enum(Param("/storage", "POST", "type")).count(t), 1u) << t;
    EXPECT_EQ(Enum(Param("/storage", "POST", "type", "", 8)).count(t), 1u) << t;
  }
  EXPECT_EQ(Enum(Ours("storage", "preallocation")), Enum(Param("/storage", "POST", "preallocation")));
  EXPECT_EQ(Enum(Ours("storage", "format")), Enum(Param("/storage", "POST", "format")));
  ExpectSameRange(Ours("storage", "max_protected_backups"), Param("/storage", "POST", "max-protected-backups"),
                  "max-protected-backups");
  const char* backup = "/cluster/backup";
  EXPECT_EQ(Enum(Ours("backup_job", "mode")), Enum(Param(backup, "POST", "mode")));
  std::set<std::string> compress = Enum(Ours("backup_job", "compress"));
  EXPECT_EQ(compress.erase("none"), 1u);  // written as "0" to Proxmox
  for (const std::string& c : compress) EXPECT_EQ(Enum(Param(backup, "POST", "compress")).count(c), 1u) << c;
  ExpectSameRange(Ours("backup_job", "ionice"), Param(backup, "POST", "ionice"), "ionice");
  ExpectSameRange(Ours("backup_job", "bwlimit"), Param(backup, "POST", "bwlimit"), "bwlimit");
  EXPECT_EQ(Enum(Ours("backup_job", "mail_notification")), Enum(Param(backup, "POST", "mailnotification")));
  EXPECT_EQ(Enum(Ours("backup_job", "notification_mode")), Enum(Param(backup, "POST", "notification-mode")));
  EXPECT_EQ(Ours("backup_job", "comment").max_length, Param(backup, "POST", "comment")["maxLength"].get<size_t>());
  EXPECT_EQ(Ours("backup_job", "schedule").max_length, Param(backup, "POST", "schedule")["maxLength"].get<size_t>());
  EXPECT_EQ(Ours("backup_job", "notes_template").max_length,
            Param(backup, "POST", "notes-template")["maxLength"].get<size_t>());
}

TEST_F(PveApi, DatacenterOptionsMatchPveCluster) {
  const char* options = "/cluster/options";
  for (const char* f : {"keyboard", "language"}) {
    EXPECT_EQ(Enum(Ours("datacenter", f)), Enum(Param(options, "PUT", f))) << f;
  }
  // `applet` is left out: Proxmox maps it to html5 on every read and write.
  std::set<std::string> consoles = Enum(Param(options, "PUT", "console"));
  consoles.erase("applet");
  EXPECT_EQ(Enum(Ours("datacenter", "console")), consoles);
  ExpectSameRange(Ours("datacenter", "max_workers"), Param(options, "PUT", "max_workers"), "max_workers");
  EXPECT_EQ(Enum(Ours("datacenter", "migration.type")), Enum(Param(options, "PUT", "migration", "type")));
  EXPECT_EQ(Enum(Ours("datacenter", "ha.shutdown_policy")), Enum(Param(options, "PUT", "ha", "shutdown_policy")));
  EXPECT_EQ(Enum(Ours("datacenter", "crs.ha")), Enum(Param(options, "PUT", "crs", "ha")));  // PVE 9: dynamic too
  EXPECT_EQ(Enum(Param(options, "PUT", "crs", "ha", 8)), (std::set<std::string>{"basic", "static"}));
  EXPECT_EQ(Enum(Ours("datacenter", "tag_style.shape")), Enum(Param(options, "PUT", "tag-style", "shape")));
  EXPECT_EQ(Enum(Ours("datacenter", "tag_style.ordering")), Enum(Param(options, "PUT", "tag-style", "ordering")));
  for (const char* bound : {"lower", "upper"}) {  // the next-id format spells its range min/max
    const Value& theirs = Param(options, "PUT", "next-id", bound);
    EXPECT_EQ(Ours("datacenter", std::string("next_id.") + bound).min, Bound(theirs, "min")) << bound;
    EXPECT_EQ(Ours("datacenter", std::string("next_id.") + bound).max, Bound(theirs, "max")) << bound;
  }
  for (const char* limit : {"default", "clone", "migration", "move", "restore"}) {
    EXPECT_EQ(Ours("datacenter", std::string("bwlimit.") + limit).min, Bound(Param(options, "PUT", "bwlimit", limit), "minimum"));
  }
  EXPECT_EQ(Param(options, "PUT", "mac_prefix")["format"], "mac-prefix");
  EXPECT_EQ(Ours("datacenter", "mac_prefix").format, "mac-prefix");
  EXPECT_EQ(Param(options, "PUT", "migration", "network")["format"], "CIDR");
}

TEST_F(PveApi, PoolMembersAreWhatThePoolsApiTakes) {
  for (int version : {8, 9}) {
    EXPECT_EQ(Param("/pools", "PUT", "vms", "", version)["format"], "pve-vmid-list") << version;
    EXPECT_EQ(Param("/pools", "PUT", "storage", "", version)["format"], "pve-storage-id-list") << version;
    EXPECT_EQ(Param("/pools", "POST", "poolid", "", version)["format"], "pve-poolid") << version;
  }
  EXPECT_EQ(Ours("pool", "id").format, "pve-poolid");
}

}  // namespace
}  // namespace hainfra::schemas
