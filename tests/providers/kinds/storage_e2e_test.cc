// storage/<id> end to end against pvesim (schema validation on): create, update, an empty second plan,
// drift made through the API, deletion only with --allow-destroy, and secrets that never show.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string NfsSpec(const std::string& content, const std::string& state = "present") {
  return ClusterHead() + R"(
storage:
  - id: backup-nfs
    state: )" + state + R"(
    type: nfs
    server: 10.30.0.20
    export: /export/backup
    path: /mnt/pve/backup-nfs
    content: )" + content + R"(
    prune: { keep_daily: 7, keep_weekly: 4 }
)";
}

TEST(StorageE2e, CreatesFromNothingThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NfsSpec("[backup, iso]"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  // local and local-lvm exist but are not declared: not managed.
  EXPECT_THAT(StepLines(*plan), ElementsAre("create storage/backup-nfs"));

  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  ApiResult stored = cluster->Client().Get("/storage/backup-nfs");
  ASSERT_EQ(stored.status, 200) << stored.raw;
  EXPECT_EQ(stored.data().value("export", ""), "/export/backup");
  EXPECT_EQ(stored.data().value("prune-backups", ""), "keep-daily=7,keep-weekly=4");

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(StorageE2e, AnNfsStorageWithoutAPathMountsWhereProxmoxPutsIt) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ClusterHead() + R"(
storage:
  - { id: astro-nfs, type: nfs, server: 10.30.0.25, export: /tank/pve, content: [images] }
)");
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  // Proxmox's NFS plugin: path defaults to /mnt/pve/<storage> on create.
  EXPECT_EQ(cluster->Client().Get("/storage/astro-nfs").data().value("path", ""), "/mnt/pve/astro-nfs");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(StorageE2e, UpdatesContentInPlaceAndConverges) {
  E2E_START_OR_SKIP(cluster);
  auto first = cluster->Load(NfsSpec("[backup]"));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(cluster->RunApply(*first).exit_code, 0);

  auto changed = cluster->Load(NfsSpec("[iso, backup]"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update storage/backup-nfs"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const std::string content = cluster->Client().Get("/storage/backup-nfs").data().value("content", "");
  EXPECT_TRUE(content == "iso,backup" || content == "backup,iso") << content;

  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(StorageE2e, AChangeMadeThroughTheApiIsDrift) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NfsSpec("[backup]"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  ApiResult put = cluster->Client().Put("/storage/backup-nfs", {{"content", "backup,images"}, {"disable", "1"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("storage/backup-nfs"), std::string::npos) << drift.out;

  // Apply puts it back: content rewritten, `disable` (not declared) left as the operator set it.
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ApiResult now = cluster->Client().Get("/storage/backup-nfs");
  EXPECT_EQ(now.data().value("content", ""), "backup");
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST(StorageE2e, RemovesTheDefinitionOnlyWithConsent) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NfsSpec("[backup]"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);

  auto absent = cluster->Load(NfsSpec("[backup]", "absent"));
  ASSERT_TRUE(absent) << absent.error().message;
  auto plan = cluster->MakePlan(*absent);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("delete storage/backup-nfs"));

  CommandRun refused = cluster->RunApply(*absent);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/storage/backup-nfs").status, 200);

  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun done = cluster->RunApply(*absent, options);
  ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
  EXPECT_NE(cluster->Client().Get("/storage/backup-nfs").status, 200);
  auto again = cluster->MakePlan(*absent);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(StorageE2e, APbsPasswordIsSentButNeverShownOrDrift) {
  E2E_START_OR_SKIP(cluster);
  ::setenv("HAINFRA_TEST_PBS_PASSWORD", "s3cret-pbs-pw", 1);
  auto spec = cluster->Load(ClusterHead() + R"(
storage:
  - id: pbs
    type: pbs
    server: 10.30.0.50
    datastore: lab
    username: hainfra@pbs
    password: ${env:HAINFRA_TEST_PBS_PASSWORD}
    fingerprint: "3A:91:0C:7E:5B:D2:48:A6:1F:E3:94:2B:C8:07:6D:F5:A1:3E:82:9C:54:B7:0E:D9:26:F1:4A:8B:C3:65:E0:17"
    content: [backup]
)");
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun plan = cluster->RunPlan(*spec);
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out.find("s3cret-pbs-pw"), std::string::npos) << plan.out;
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(apply.out.find("s3cret-pbs-pw"), std::string::npos);
  // Proxmox never answers the password: that is not drift.
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(StorageE2e, ChangingTheExportReplacesTheDefinition) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NfsSpec("[backup]"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  std::string text = NfsSpec("[backup]");
  text.replace(text.find("/export/backup"), 14, "/export/other");
  auto moved = cluster->Load(text);
  ASSERT_TRUE(moved) << moved.error().message;
  auto plan = cluster->MakePlan(*moved);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("replace storage/backup-nfs"));
}

}  // namespace
}  // namespace hainfra::testing
