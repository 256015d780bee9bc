// nodes[].maintenance: the node_maintenance kind's desired objects, and the located error of a bad value.
#include "providers/kinds/node_maintenance_kind.h"

#include <gtest/gtest.h>

#include "engine/spec/loader.h"

namespace hainfra::providers {
namespace {

constexpr const char* kMaintenanceSpec = R"(nodes:
  - name: pve-01
    address: 10.0.0.11
  - name: pve-02
    address: 10.0.0.12
    maintenance: true
  - name: pve-03
    address: 10.0.0.13
    maintenance: false
)";

TEST(NodeMaintenanceKind, OnlyNodesThatDeclareTheFieldAreManaged) {
  spec::LoadResult loaded = spec::LoadSpecText(kMaintenanceSpec, "spec.yaml");
  ASSERT_TRUE(loaded.diagnostics.empty()) << loaded.diagnostics.front().ToString();
  KindDeps deps;
  auto kind = MakeNodeMaintenanceKind(deps);
  EXPECT_EQ(kind->traits().name, "node_maintenance");
  EXPECT_TRUE(kind->traits().rolling);
  std::vector<Resource> desired = kind->Desired(loaded.spec);
  ASSERT_EQ(desired.size(), 2u);
  EXPECT_EQ(desired[0].address.ToString(), "node_maintenance/pve-02");
  EXPECT_EQ(desired[0].body["maintenance"], true);
  EXPECT_EQ(desired[0].where.line, 6) << "the object points at its `maintenance:` line";
  EXPECT_EQ(kind->Scope(desired[0].body).node, "pve-02");
  EXPECT_EQ(desired[1].address.ToString(), "node_maintenance/pve-03");
  EXPECT_EQ(desired[1].body["maintenance"], false);
}

TEST(NodeMaintenanceKind, ANonBooleanValueIsALocatedError) {
  spec::LoadResult loaded = spec::LoadSpecText("nodes:\n  - name: pve-01\n    address: 10.0.0.11\n    maintenance: soon\n",
                                               "spec.yaml");
  ASSERT_FALSE(loaded.diagnostics.empty());
  const Diagnostic& d = loaded.diagnostics.front();
  EXPECT_EQ(d.where.line, 4) << d.ToString();
  EXPECT_EQ(d.field, "nodes[0].maintenance") << d.ToString();
}

}  // namespace
}  // namespace hainfra::providers
