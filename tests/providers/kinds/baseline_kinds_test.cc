// The baseline kinds' pure parts: one object per node naming a baseline, bodies in the kind's shape with
// spec locations, sshd values normalized, hostile sshd values refused at their line.
#include <gtest/gtest.h>

#include "engine/plan/field_diff.h"
#include "providers/kind_deps.h"
#include "providers/kinds/apt_repository.h"
#include "providers/kinds/packages.h"
#include "providers/kinds/sshd.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::providers {
namespace {

constexpr const char* kBaselineSpec = R"(
cluster: { name: lab, api: { endpoint: "https://10.0.0.11:8006", token: "hainfra@pve!ci", secret: x } }
baselines:
  - name: standard
    apt: { repositories: [no-subscription], disable: [enterprise] }
    packages: { present: [chrony], versions: { pve-manager: 9.1.1 } }
    sshd: { PermitRootLogin: prohibit-password, PasswordAuthentication: "no" }
nodes:
  - { name: pve-01, address: 10.0.0.11, baseline: standard }
  - { name: pve-02, address: 10.0.0.12 }
  - { name: pve-03, address: 10.0.0.13, baseline: standard }
)";

TEST(BaselineKinds, EveryNodeNamingABaselineGetsOneObjectPerPart) {
  spec::LoadResult loaded = testing::LoadYaml(kBaselineSpec);
  ASSERT_FALSE(HasErrors(loaded.diagnostics));
  KindDeps deps;
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  kinds.push_back(MakeAptRepositoryKind(deps));
  kinds.push_back(MakePackagesKind(deps));
  kinds.push_back(MakeSshdKind(deps));
  for (const auto& kind : kinds) {
    std::vector<Resource> desired = kind->Desired(loaded.spec);
    ASSERT_EQ(desired.size(), 2u) << kind->traits().name;
    EXPECT_EQ(desired[0].address.ToString(), kind->traits().name + "/pve-01");
    EXPECT_EQ(desired[1].address.ToString(), kind->traits().name + "/pve-03");
    EXPECT_EQ(kind->Scope(desired[1].body).node, "pve-03");
    EXPECT_TRUE(kind->traits().rolling) << kind->traits().name;
    EXPECT_GT(desired[0].where.line, 0) << kind->traits().name;
  }
}

TEST(BaselineKinds, PackagesPinsAreHeldAndSshdSettingsKeepTheirLines) {
  spec::LoadResult loaded = testing::LoadYaml(kBaselineSpec);
  KindDeps deps;
  std::vector<Resource> packages = MakePackagesKind(deps)->Desired(loaded.spec);
  EXPECT_EQ(packages[0].body["held"], Value::array({"pve-manager"}));
  std::vector<Resource> sshd = MakeSshdKind(deps)->Desired(loaded.spec);
  EXPECT_EQ(sshd[0].body["settings"]["PasswordAuthentication"], "no");
  EXPECT_EQ(sshd[0].LocationOf("/settings/PasswordAuthentication").line, 7);
}

TEST(BaselineKinds, SshdValuesAreNormalizedOnBothSides) {
  KindDeps deps;
  auto sshd = MakeSshdKind(deps);
  Value body = Value::parse(R"({"settings": {"PermitRootLogin": "without-password", "PasswordAuthentication": "No"}})");
  sshd->Normalize(body);
  EXPECT_EQ(body["settings"]["PermitRootLogin"], "prohibit-password");
  EXPECT_EQ(body["settings"]["PasswordAuthentication"], "no");
}

TEST(BaselineKinds, AHostileSshdValueIsRefusedAtItsField) {
  KindDeps deps;
  auto sshd = MakeSshdKind(deps);
  Resource desired;
  desired.address = Address{"sshd", "pve-01"};
  desired.body = Value::parse(R"({"node": "pve-01", "settings": {"PermitRootLogin": "no\nAllowUsers nobody"}})");
  Observed observed;
  observed.address = desired.address;
  observed.body = Value::parse(R"({"node": "pve-01", "included": true, "settings": {"PermitRootLogin": "yes"}})");
  Change change;
  change.address = desired.address;
  change.action = Action::kUpdate;
  FieldChange field;
  field.path = "settings[PermitRootLogin]";
  field.before = "yes";
  field.after = "no\nAllowUsers nobody";
  change.fields.push_back(field);
  ASSERT_TRUE(sshd->Review(desired, observed, change));
  EXPECT_NE(change.fields[0].refused.find("PermitRootLogin"), std::string::npos) << change.fields[0].refused;
}

TEST(BaselineKinds, SshdSettingsANodeWouldNotReadAreRefused) {
  KindDeps deps;
  auto sshd = MakeSshdKind(deps);
  Resource desired;
  desired.address = Address{"sshd", "pve-01"};
  desired.body = Value::parse(R"({"node": "pve-01", "settings": {"PermitRootLogin": "no"}})");
  Observed observed;
  observed.address = desired.address;
  observed.body = Value::parse(
      R"({"included": false, "not_included": "/etc/ssh/sshd_config has no Include", "settings": {}})");
  Change change;
  change.address = desired.address;
  change.action = Action::kUpdate;
  FieldChange field;
  field.path = "settings[PermitRootLogin]";
  field.after = "no";
  change.fields.push_back(field);
  Status review = sshd->Review(desired, observed, change);
  ASSERT_FALSE(review);
  EXPECT_NE(review.error().message.find("Include /etc/ssh/sshd_config.d/*.conf"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::providers

namespace hainfra::providers {
namespace {

TEST(BaselineKinds, AnAptRepositoryNotEnabledIsADifference) {
  KindDeps deps;
  auto apt = MakeAptRepositoryKind(deps);
  std::vector<FieldChange> fields;
  plan::DiffFields(apt->traits().body, Value::parse(R"({"repositories": ["no-subscription"]})"),
                   Value::parse(R"({"repositories": ["enterprise"], "disable": ["no-subscription"]})"), false, fields);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].path, "repositories");
}

}  // namespace
}  // namespace hainfra::providers
