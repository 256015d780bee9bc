#include "engine/export/exporter.h"

#include <gtest/gtest.h>

#include "hainfra/export_part.h"
#include "tests/engine/export/export_world.h"

namespace hainfra::exporting {
namespace {

std::vector<std::string> Paths(const ExportedSpec& spec) {
  std::vector<std::string> out;
  for (const ExportedSection& s : spec.sections) out.push_back(s.section->path);
  return out;
}

TEST(ExportKinds, WritesSectionsInTheSpecsOrderAndObjectsByIdentity) {
  ExportWorld world;
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(Paths(*spec), (std::vector<std::string>{"nodes", "storage", "vms", "ha.resources"}));
  ASSERT_EQ(spec->sections[2].objects.size(), 2u);
  EXPECT_EQ(spec->sections[2].objects[0]["vmid"], 100);
  EXPECT_EQ(spec->sections[2].objects[1]["vmid"], 101);
}

TEST(ExportKinds, ObservesEachKindOnce) {
  ExportWorld world;
  ASSERT_TRUE(ExportKinds(world.Kinds(), {}));
  EXPECT_EQ(world.Kind(2).observe_calls(), 1);
}

TEST(ExportKinds, KindFilterAddsTheKindsItsObjectsName) {
  ExportWorld world;
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.kinds = {"vm"}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(Paths(*spec), (std::vector<std::string>{"nodes", "storage", "vms"}));
  ASSERT_FALSE(spec->notes.empty());
  EXPECT_NE(spec->notes.front().find("kind node: exported too"), std::string::npos) << spec->notes.front();
}

TEST(ExportKinds, NodeFilterKeepsObjectsOnThoseNodesAndEveryNode) {
  ExportWorld world;
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.nodes = {"pve-02"}});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->sections[2].section->kind, "vm");
  ASSERT_EQ(spec->sections[2].objects.size(), 1u);
  EXPECT_EQ(spec->sections[2].objects[0]["vmid"], 101);
  EXPECT_EQ(spec->sections[0].objects.size(), 2u);  // nodes: named by other objects, always kept
}

TEST(ExportKinds, UnknownKindIsAnErrorNamingTheKindsThereAre) {
  ExportWorld world;
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.kinds = {"vmm"}});
  ASSERT_FALSE(spec);
  EXPECT_EQ(spec.error().message, "--kind vmm: no such kind (this cluster session has: ha_resource, node, storage, vm)");
}

TEST(ExportKinds, ObserveFailureNamesTheKind) {
  ExportWorld world;
  world.Kind(1).observe_error = Error{Code::kUnavailable, "595 No route to host"};
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {});
  ASSERT_FALSE(spec);
  EXPECT_EQ(spec.error().message, "observe storage: 595 No route to host");
}

TEST(ExportKinds, CarriesOverInputObjectsOfKindsTheSessionCannotRead) {
  ExportWorld world;
  Value cluster = {{"name", "lab"},
                   {"api", {{"endpoint", "https://10.0.0.11:8006"}, {"secret", "${env:PVE_TOKEN_SECRET}"}}},
                   {"corosync", {{"totem", {{"token", 3000}}}}}};
  Value vlan = {{"name", "hpc"}, {"zone", "lab"}, {"tag", 100}};
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.input = {{"cluster", cluster}, {"vlan", vlan}}});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->sections.front().section->kind, "cluster");
  EXPECT_EQ(spec->sections.front().objects.front(), cluster);
  EXPECT_EQ(spec->notes.front(), "cluster: carried over from the input spec as written (no kind of this session "
                                 "reads cluster objects)");
}

TEST(ExportKinds, CarriesOverTheEnforcementSettingsOfTheInputSpec) {
  ExportWorld world;
  Value enforcement = {{"mode", "warn"}, {"limits", {{"max_objects", 5}}}};
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.input = {{"enforcement", enforcement}}});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_FALSE(spec->sections.empty());
  EXPECT_EQ(spec->sections.back().section->path, "enforcement");
  EXPECT_EQ(spec->sections.back().objects, std::vector<Value>{enforcement});
  EXPECT_EQ(spec->notes.back(), "enforcement: carried over from the input spec as written (settings, not objects)");
}

TEST(ExportKinds, CopiesConnectionSettingsOntoTheObservedObject) {
  ExportWorld world;
  KindTraits traits;
  traits.name = "cluster";
  traits.body = providers::SectionBody("cluster");
  testing::FakeKind cluster_kind(world.cluster, traits);
  world.cluster.Put({"cluster", "lab"}, {{"name", "lab"}, {"corosync", {{"totem", {{"token", 3000}}}}}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&cluster_kind);
  Value input = {{"name", "lab"}, {"api", {{"endpoint", "https://10.0.0.11:8006"}}},
                 {"corosync", {{"totem", {{"token", 1000}}}}}};
  Result<ExportedSpec> spec = ExportKinds(kinds, {.input = {{"cluster", input}}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->sections.front().objects.front(),
            (Value{{"name", "lab"}, {"api", input["api"]}, {"corosync", {{"totem", {{"token", 3000}}}}}}));
}

}  // namespace
}  // namespace hainfra::exporting

namespace hainfra::exporting {
namespace {

TEST(ExportKinds, LeavesTheRunStateOfAGuestUnderHaToHa) {
  ExportWorld world;
  world.cluster.Put({"vm", "100"}, {{"vmid", 100}, {"node", "pve-01"}, {"state", "running"}});
  world.cluster.Put({"vm", "101"}, {{"vmid", 101}, {"node", "pve-02"}, {"state", "stopped"}});
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_FALSE(spec->sections[2].objects[0].contains("state"));  // vm:100 is an HA resource
  EXPECT_EQ(spec->sections[2].objects[1]["state"], "stopped");
}

TEST(ExportKinds, NeverCopiesASecretWrittenInClearInTheInputSpec) {
  ExportWorld world;
  Value cluster = {{"name", "lab"}, {"api", {{"endpoint", "https://10.0.0.11:8006"}, {"secret", "hunter2"}}}};
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), {.input = {{"cluster", cluster}}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->sections.front().objects.front()["api"]["secret"], "${env:HAINFRA_SECRET_CLUSTER_API_SECRET}");
}

}  // namespace
}  // namespace hainfra::exporting

namespace hainfra::exporting {
namespace {

// A kind derived from other sections (like the node network, corosync, apt and sshd kinds): it has no
// section of its own and gives parts of the sections' objects.
class PartsKind : public testing::FakeKind, public ExportsParts {
 public:
  PartsKind(testing::FakeCluster& cluster, const std::string& name, std::vector<ExportPart> parts)
      : testing::FakeKind(cluster, Traits(name)), parts_(std::move(parts)) {}
  Result<std::vector<ExportPart>> ExportParts() override { return parts_; }

 private:
  static KindTraits Traits(const std::string& name) {
    KindTraits traits;
    traits.name = name;
    return traits;
  }
  std::vector<ExportPart> parts_;
};

const Value* ObjectNamed(const ExportedSpec& spec, const std::string& kind, const std::string& name) {
  for (const ExportedSection& s : spec.sections) {
    if (s.section->kind != kind) continue;
    for (const Value& o : s.objects) {
      if (s.section->singleton || o.value(s.section->identity, "") == name) return &o;
    }
  }
  return nullptr;
}

TEST(ExportKinds, MergesTheDerivedKindsPartsIntoTheObjectsTheyAreDerivedFrom) {
  ExportWorld world;
  Value vmbr0 = {{"iface", "vmbr0"}, {"type", "bridge"}, {"ports", {"eno1"}}, {"cidr", "10.0.0.11/24"}};
  PartsKind network(world.cluster, "network", {{"node", "pve-01", "", {{"network", {vmbr0}}}}});
  PartsKind corosync(world.cluster, "corosync",
                     {{"cluster", "lab", "", {{"corosync", {{"totem", {{"token", 3000}}}}}}},
                      {"node", "pve-02", "", {{"corosync", {{"votes", 2}}}}}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&network);
  kinds.push_back(&corosync);
  Result<ExportedSpec> spec = ExportKinds(kinds, {});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(Paths(*spec), (std::vector<std::string>{"cluster", "nodes", "storage", "vms", "ha.resources"}));
  EXPECT_EQ(*ObjectNamed(*spec, "cluster", "lab"), (Value{{"name", "lab"}, {"corosync", {{"totem", {{"token", 3000}}}}}}));
  EXPECT_EQ(*ObjectNamed(*spec, "node", "pve-01"),
            (Value{{"name", "pve-01"}, {"address", "10.0.0.11"}, {"network", {vmbr0}}}));
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-02"))["corosync"], (Value{{"votes", 2}}));
}

TEST(ExportKinds, WritesTheConnectionUsedOntoTheClusterWhenNoInputSpecNamesOne) {
  ExportWorld world;
  PartsKind corosync(world.cluster, "corosync", {{"cluster", "lab", "", Value::object()}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&corosync);
  Value connection = {{"api", {{"endpoint", "https://10.0.0.11:8006"}, {"token", "root@pam!x"},
                               {"secret", "${env:HAINFRA_API_SECRET}"}}}};
  Result<ExportedSpec> spec = ExportKinds(kinds, {.connection = {{"cluster", connection}}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(*ObjectNamed(*spec, "cluster", "lab"), (Value{{"name", "lab"}, {"api", connection["api"]}}));
}

TEST(ExportKinds, FoldsTheNodesSettingsIntoOneBaselineWhenTheyAgree) {
  ExportWorld world;
  const Value apt = {{"apt", {{"repositories", {"no-subscription"}}}}};
  PartsKind repos(world.cluster, "apt", {{"baseline", "", "pve-01", apt}, {"baseline", "", "pve-02", apt}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&repos);
  Result<ExportedSpec> spec = ExportKinds(kinds, {});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->sections.back().section->kind, "baseline");
  EXPECT_EQ(spec->sections.back().objects,
            (std::vector<Value>{{{"name", "standard"}, {"apt", apt["apt"]}}}));
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-01"))["baseline"], "standard");
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-02"))["baseline"], "standard");
}

TEST(ExportKinds, WritesABaselinePerNodeWhenTheNodesDisagree) {
  ExportWorld world;
  const Value apt = {{"apt", {{"repositories", {"no-subscription"}}}}};
  PartsKind repos(world.cluster, "apt", {{"baseline", "", "pve-01", apt}, {"baseline", "", "pve-02", apt}});
  PartsKind sshd(world.cluster, "sshd", {{"baseline", "", "pve-02", {{"sshd", {{"MaxAuthTries", "3"}}}}}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&repos);
  kinds.push_back(&sshd);
  Result<ExportedSpec> spec = ExportKinds(kinds, {});
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(spec->sections.back().section->kind, "baseline");
  EXPECT_EQ(spec->sections.back().objects,
            (std::vector<Value>{{{"name", "pve-01"}, {"apt", apt["apt"]}},
                                {{"name", "pve-02"}, {"apt", apt["apt"]}, {"sshd", {{"MaxAuthTries", "3"}}}}}));
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-01"))["baseline"], "pve-01");
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-02"))["baseline"], "pve-02");
}

TEST(ExportKinds, KeepsTheInputSpecsBaselinesAndTheNodesReferencesToThem) {
  ExportWorld world;
  PartsKind repos(world.cluster, "apt", {{"baseline", "", "pve-01", {{"apt", {{"repositories", {"test"}}}}}}});
  std::vector<ResourceKind*> kinds = world.Kinds();
  kinds.push_back(&repos);
  Value baseline = {{"name", "standard"}, {"packages", {{"present", {"htop"}}}}};
  Value node = {{"name", "pve-01"}, {"address", "10.0.0.11"}, {"baseline", "standard"}};
  Result<ExportedSpec> spec = ExportKinds(kinds, {.input = {{"baseline", baseline}, {"node", node}}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->sections.back().objects, std::vector<Value>{baseline});
  EXPECT_EQ((*ObjectNamed(*spec, "node", "pve-01"))["baseline"], "standard");
}

}  // namespace
}  // namespace hainfra::exporting
