// access_group/<groupid> and access_user/<userid> end to end against pvesim (schema validation on): create,
// update, an empty second plan, only declared users managed, deletion only with `state: absent` and
// consent, and bad ids refused at their spec location.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string AccessSpec(const std::string& groups, const std::string& users) {
  return ClusterHead() + "access:\n  groups:\n" + groups + "  users:\n" + users;
}

const char* kOpsGroup = "    - { groupid: ops, comment: operators }\n";
const char* kAlice =
    "    - { userid: alice@pve, groups: [ops], email: alice@example.com, firstname: Alice, comment: oncall }\n";

TEST(AccessE2e, CreatesGroupAndUserThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(AccessSpec(kOpsGroup, kAlice));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create access_group/ops", "create access_user/alice@pve"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json group = cluster->Client().Get("/access/groups/ops").data();
  EXPECT_EQ(group.value("comment", ""), "operators");
  EXPECT_EQ(group["members"], nlohmann::json::array({"alice@pve"}));
  nlohmann::json alice = cluster->Client().Get("/access/users/alice@pve").data();
  EXPECT_EQ(alice.value("email", ""), "alice@example.com");
  EXPECT_EQ(alice.value("enable", 0), 1);
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(AccessE2e, UpdatesUserAndGroupInPlaceAndLeavesUndeclaredUsersAlone) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(AccessSpec(kOpsGroup, kAlice));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto changed = cluster->Load(AccessSpec("    - { groupid: ops, comment: on call team }\n",
                                          "    - { userid: alice@pve, groups: [], enable: false, expire: 4102444800,"
                                          " email: alice@example.com, firstname: Alice, comment: \"\" }\n"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update access_group/ops", "update access_user/alice@pve"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json alice = cluster->Client().Get("/access/users/alice@pve").data();
  EXPECT_EQ(alice.value("enable", 1), 0);
  EXPECT_EQ(alice.value("expire", int64_t{0}), int64_t{4102444800});
  EXPECT_FALSE(alice.contains("comment")) << alice.dump();
  EXPECT_EQ(alice["groups"], nlohmann::json::array()) << alice.dump();
  EXPECT_EQ(cluster->Client().Get("/access/groups/ops").data().value("comment", ""), "on call team");
  // root@pam and the token's own user are not declared: they are never touched.
  EXPECT_EQ(cluster->Client().Get("/access/users/root@pam").status, 200);
  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty())
      << ::testing::PrintToString(ChangedPaths(*again, "access_user/alice@pve"));
}

TEST(AccessE2e, DriftIsSeenAndDeletionNeedsStateAbsentAndConsent) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(AccessSpec(kOpsGroup, kAlice));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ApiResult put = cluster->Client().Put("/access/users/alice@pve", {{"email", "mallory@example.com"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("access_user/alice@pve"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  auto absent = cluster->Load(AccessSpec("    - { groupid: ops, state: absent }\n",
                                         "    - { userid: alice@pve, state: absent }\n"));
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/access/users/alice@pve").status, 200);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun removed = cluster->RunApply(*absent, options);
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_NE(cluster->Client().Get("/access/users/alice@pve").status, 200);
  EXPECT_NE(cluster->Client().Get("/access/groups/ops").status, 200);
}

TEST(AccessE2e, BadUserAndGroupIdsAreRefusedAtTheirLocation) {
  E2E_START_OR_SKIP(cluster);
  auto no_realm = cluster->Load(AccessSpec(kOpsGroup, "    - { userid: alice }\n"));
  ASSERT_FALSE(no_realm);
  EXPECT_THAT(no_realm.error().message, HasSubstr("spec.yaml:"));
  EXPECT_THAT(no_realm.error().message, HasSubstr("name@realm"));
  auto bad_group = cluster->Load(AccessSpec("    - { groupid: \"ops team\" }\n", ""));
  ASSERT_FALSE(bad_group);
  EXPECT_THAT(bad_group.error().message, HasSubstr("spec.yaml:"));
  EXPECT_THAT(bad_group.error().message, HasSubstr("group id"));
}

}  // namespace
}  // namespace hainfra::testing
