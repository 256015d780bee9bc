#include "schemas/sections.h"

#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include "schemas/formats.h"

namespace hainfra::schemas {
namespace {

// A field by dotted path inside a section item; list elements are stepped through ("disks.slot").
const FieldSpec& FieldAt(const std::string& kind, const std::string& path) {
  const FieldSpec* f = &FindSection(kind)->item;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string name = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (f->type == FieldType::kList || f->type == FieldType::kMap) f = &f->element.front();
    const FieldSpec* next = FindField(*f, name);
    if (next == nullptr) throw std::runtime_error("no field " + kind + ":" + path);
    f = next;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *f;
}

void ForEachField(const FieldSpec& f, const std::string& path, const std::function<void(const FieldSpec&,
                                                                                          const std::string&)>& fn) {
  fn(f, path);
  for (const FieldSpec& sub : f.fields) ForEachField(sub, path + "." + sub.name, fn);
  for (const FieldSpec& e : f.element) ForEachField(e, path + "[]", fn);
}

TEST(Sections, DeclareEveryKindOfTheSpecOnce) {
  std::vector<std::string> kinds;
  std::set<std::string> paths;
  for (const SectionSpec& s : Sections()) {
    kinds.push_back(s.kind);
    EXPECT_TRUE(paths.insert(s.path).second) << s.path;
    EXPECT_EQ(FindSection(s.kind), &s);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"cluster", "datacenter", "node", "vlan", "ceph_pool", "storage", "image", "vm",
                                             "ct", "ha_group", "ha_rule", "ha_resource", "pool", "backup_job",
                                             "baseline", "access_group", "access_user", "access_role", "access_token",
                                             "access_acl", "access_realm", "firewall_alias",
                                             "firewall_ipset", "firewall_group", "firewall_guest", "firewall_node",
                                             "firewall_cluster", "replication",
                                             "notification_sendmail", "notification_smtp", "notification_gotify",
                                             "notification_webhook", "notification_matcher", "metric_server",
                                             "pci_mapping", "usb_mapping", "acme_plugin"}));
  EXPECT_EQ(FindSection("nothing"), nullptr);
}

TEST(Sections, EveryObjectIsNamedByARequiredIdentityOrIsItsSingleton) {
  for (const SectionSpec& s : Sections()) {
    ASSERT_EQ(s.item.type, FieldType::kObject) << s.kind;
    if (s.identity.empty()) {  // one per spec, addressed <kind>/<kind> (`datacenter`)
      EXPECT_TRUE(s.singleton) << s.kind;
      continue;
    }
    const FieldSpec* id = FindField(s.item, s.identity);
    ASSERT_NE(id, nullptr) << s.kind;
    EXPECT_TRUE(id->required) << s.kind;
    EXPECT_TRUE(id->type == FieldType::kString || id->type == FieldType::kInt) << s.kind;
  }
}

TEST(Sections, FieldTablesAreWellFormed) {
  for (const SectionSpec& s : Sections()) {
    ForEachField(s.item, s.kind, [&](const FieldSpec& f, const std::string& path) {
      const bool container = f.type == FieldType::kList || f.type == FieldType::kMap;
      EXPECT_EQ(f.element.size(), container ? 1u : 0u) << path;
      if (f.type == FieldType::kEnum) {
        EXPECT_FALSE(f.enum_values.empty()) << path;
      }
      if (!f.format.empty()) {
        EXPECT_NE(FindFormat(f.format), nullptr) << path << " format " << f.format;
      }
      if (!f.pattern.empty()) {
        EXPECT_NO_THROW(std::regex(f.pattern, std::regex::ECMAScript)) << path;
        EXPECT_EQ(f.pattern.front(), '^') << path;
        EXPECT_EQ(f.pattern.back(), '$') << path;
      }
      // Two references name no section of their own: a bridge (a node's or a VNet) and a guest (a VM or a container).
      if (!f.ref.empty() && f.ref != "bridge" && f.ref != "guest") {
        EXPECT_NE(FindSection(f.ref), nullptr) << path << " ref " << f.ref;
      }
      if (!f.key.empty()) {
        ASSERT_EQ(f.type, FieldType::kList) << path;
        const FieldSpec* key = FindField(f.element.front(), f.key);
        ASSERT_NE(key, nullptr) << path;
        EXPECT_TRUE(key->required) << path;
      }
      std::set<std::string> names;
      for (const FieldSpec& sub : f.fields) {
        EXPECT_TRUE(names.insert(sub.name).second) << path << "." << sub.name;
      }
    });
  }
}

TEST(Sections, DiffSemanticsFollowTheDesign) {
  EXPECT_EQ(FieldAt("vm", "disks").key, "slot");
  EXPECT_TRUE(FieldAt("vm", "disks").whole);
  EXPECT_EQ(FieldAt("vm", "nets").key, "slot");
  EXPECT_EQ(FieldAt("ct", "mount_points").key, "slot");
  EXPECT_EQ(FieldAt("ct", "nets").key, "name");  // net0.. are assigned; the name inside is the identity
  EXPECT_FALSE(FieldAt("ct", "ostemplate").managed);  // used once, at create
  EXPECT_TRUE(FieldAt("ct", "password").secret);
  EXPECT_EQ(FieldAt("node", "network").key, "iface");
  EXPECT_FALSE(FieldAt("node", "network").whole);  // physical NICs exist undeclared
  EXPECT_TRUE(FieldAt("node", "network.ports").set);
  EXPECT_TRUE(FieldAt("vm", "tags").set);
  EXPECT_FALSE(FieldAt("vm", "boot").set);  // boot order matters
  EXPECT_TRUE(FieldAt("storage", "content").set);
  EXPECT_FALSE(FieldAt("baseline", "packages.present").whole);
  EXPECT_FALSE(FieldAt("baseline", "sshd").whole);
  EXPECT_EQ(FieldAt("cluster", "corosync.links").key, "id");
  EXPECT_TRUE(FieldAt("storage", "type").force_new);
  EXPECT_TRUE(FieldAt("ceph_pool", "erasure_coding").force_new);
  EXPECT_TRUE(FieldAt("ha_rule", "type").force_new);
  for (const char* f : {"cores", "sockets", "memory", "cpu", "bios", "machine", "scsihw", "numa", "boot"}) {
    EXPECT_TRUE(FieldAt("vm", f).reboot) << f;
  }
  for (const char* f : {"name", "onboot", "tags", "description", "protection", "balloon", "nets", "disks"}) {
    EXPECT_FALSE(FieldAt("vm", f).reboot) << f;
  }
  EXPECT_TRUE(FieldAt("cluster", "api.secret").secret);
  EXPECT_TRUE(FieldAt("storage", "password").secret);
  EXPECT_TRUE(FieldAt("vm", "cloud_init.password").secret);
  EXPECT_FALSE(FieldAt("cluster", "api").managed);
  EXPECT_FALSE(FieldAt("cluster", "ssh").managed);
  EXPECT_EQ(FieldAt("vm", "node").ref, "node");
  EXPECT_EQ(FieldAt("vm", "disks.storage").ref, "storage");
  EXPECT_EQ(FieldAt("vm", "nets.bridge").ref, "bridge");
  EXPECT_EQ(FieldAt("ha_rule", "resources").element.front().ref, "ha_resource");
}

TEST(Sections, VmHaShorthandAcceptsTheSameKeysAsHaResources) {
  const FieldSpec& shorthand = FieldAt("vm", "ha");
  const FieldSpec& resource = FindSection("ha_resource")->item;
  std::vector<std::string> a, b;
  for (const FieldSpec& f : shorthand.fields) a.push_back(f.name);
  for (const FieldSpec& f : resource.fields) {
    if (f.name != "sid") b.push_back(f.name);
  }
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace hainfra::schemas
