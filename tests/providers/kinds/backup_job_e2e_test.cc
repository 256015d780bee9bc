// backup_job/<id> end to end against pvesim (schema validation on): create, update, an empty second plan,
// drift made through the API, deletion only with consent; the notification keys PVE 9 dropped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The guests the jobs name exist (the spec must declare what it names).
PvesimOptions WithGuests(const TempDir& dir) {
  PvesimOptions options;
  options.args = WorldArgs(dir, GuestWorld(9, {100, 101, 900, 901}));
  return options;
}

#define BACKUP_START_OR_SKIP(var)  \
  TempDir var##_dir("backup-e2e"); \
  E2E_START_OR_SKIP(var, WithGuests(var##_dir))

std::string JobSpec(const std::string& job) {
  return ClusterHead() + GuestYaml({100, 101, 900, 901}) + R"(
storage:
  - { id: local, type: dir, path: /var/lib/vz, content: [iso, vztmpl, backup, import] }
backup_jobs:
  - )" + job + "\n";
}

const char* kNightly =
    R"({ id: nightly, schedule: "02:00", storage: local, mode: snapshot, all: true, exclude: [900, 901],
      compress: zstd, notes_template: "{{guestname}} nightly", prune: { keep_daily: 7, keep_weekly: 4 } })";

TEST(BackupJobE2e, CreatesFromNothingThenPlansNothing) {
  BACKUP_START_OR_SKIP(cluster);
  auto spec = cluster->Load(JobSpec(kNightly));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create backup_job/nightly"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json job = cluster->Client().Get("/cluster/backup/nightly").data();
  EXPECT_EQ(job.value("schedule", ""), "02:00");
  EXPECT_EQ(job.value("exclude", ""), "900,901");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(BackupJobE2e, UpdatesInPlaceAndLeavesUndeclaredKeysAlone) {
  BACKUP_START_OR_SKIP(cluster);
  auto spec = cluster->Load(JobSpec(kNightly));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  // Another schedule and mode, the selection by list instead of all + exclude; retention no longer written.
  auto changed = cluster->Load(JobSpec(
      R"({ id: nightly, schedule: "sat 03:30", storage: local, mode: stop, vms: [101, 100], compress: none,
      notes_template: "{{guestname}} nightly" })"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update backup_job/nightly"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json job = cluster->Client().Get("/cluster/backup/nightly").data();
  EXPECT_EQ(job.value("schedule", ""), "sat 03:30");
  const std::string vmid = job.value("vmid", "");
  EXPECT_TRUE(vmid == "101,100" || vmid == "100,101") << vmid;
  EXPECT_EQ(job.value("compress", ""), "0");
  // Only what the spec writes is managed: the retention it no longer writes stays as it was.
  EXPECT_TRUE(job.contains("prune-backups")) << job.dump();
  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(BackupJobE2e, AChangeMadeThroughTheApiIsDriftAndDeletionNeedsConsent) {
  BACKUP_START_OR_SKIP(cluster);
  auto spec = cluster->Load(JobSpec(kNightly));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ApiResult put = cluster->Client().Put("/cluster/backup/nightly", {{"enabled", "0"}, {"schedule", "03:00"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("backup_job/nightly"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  std::string text = JobSpec(kNightly);
  text.replace(text.find("id: nightly,"), 12, "id: nightly, state: absent,");
  auto absent = cluster->Load(text);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/cluster/backup/nightly").status, 200);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  ASSERT_EQ(cluster->RunApply(*absent, options).exit_code, 0);
  EXPECT_NE(cluster->Client().Get("/cluster/backup/nightly").status, 200);
}

}  // namespace
}  // namespace hainfra::testing

#undef BACKUP_START_OR_SKIP
