// notification_*/<name> end to end against pvesim (schema validation on): the four target types and a
// matcher created in one apply, secrets sent but never shown or compared, an empty second plan, drift made
// through the API, removal only with consent (matchers before the targets they name).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

const char* kNotificationsYaml = R"(
notifications:
  sendmail:
    - { name: ops-mail, mailto: [ops@example.com], mailto_users: [root@pam], author: Lab }
  smtp:
    - { name: relay, server: smtp.example.com, port: 587, mode: starttls, username: pve,
        password: "${env:HAINFRA_TEST_SMTP_PASSWORD}", from_address: pve@example.com, mailto: [ops@example.com] }
  gotify:
    - { name: phone, server: "https://gotify.example.com", token: "${env:HAINFRA_TEST_GOTIFY_TOKEN}" }
  webhooks:
    - name: chat
      url: "https://chat.example.com/hooks/{{ secrets.channel }}"
      method: post
      body: '{"text": "{{ title }}"}'
      headers: { Content-Type: application/json }
      secrets: { channel: "${env:HAINFRA_TEST_WEBHOOK_CHANNEL}" }
  matchers:
    - { name: backup-failures, severity: [error], fields: ["exact:type=vzdump"], mode: all,
        targets: [ops-mail, relay, phone, chat], comment: backups }
)";

void SetNotificationSecrets() {
  ::setenv("HAINFRA_TEST_SMTP_PASSWORD", "smtp-s3cret", 1);
  ::setenv("HAINFRA_TEST_GOTIFY_TOKEN", "gotify-s3cret", 1);
  ::setenv("HAINFRA_TEST_WEBHOOK_CHANNEL", "channel-s3cret", 1);
}

TEST(NotificationE2e, CreatesEveryTargetTypeAndAMatcherThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  SetNotificationSecrets();
  auto spec = cluster->Load(ClusterHead() + kNotificationsYaml);
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan),
              UnorderedElementsAre("create notification_sendmail/ops-mail", "create notification_smtp/relay",
                                   "create notification_gotify/phone", "create notification_webhook/chat",
                                   "create notification_matcher/backup-failures"));
  CommandRun shown = cluster->RunPlan(*spec);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* secret : {"smtp-s3cret", "gotify-s3cret", "channel-s3cret"}) {
    EXPECT_THAT(shown.out, Not(HasSubstr(secret)));
  }
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  for (const char* secret : {"smtp-s3cret", "gotify-s3cret", "channel-s3cret"}) {
    EXPECT_THAT(apply.out + apply.err, Not(HasSubstr(secret)));
  }

  PvesimClient client = cluster->Client();
  nlohmann::json smtp = client.Get("/cluster/notifications/endpoints/smtp/relay").data();
  EXPECT_EQ(smtp.value("server", ""), "smtp.example.com");
  EXPECT_FALSE(smtp.contains("password"));
  nlohmann::json webhook = client.Get("/cluster/notifications/endpoints/webhook/chat").data();
  EXPECT_EQ(webhook["header"], nlohmann::json::array({"name=Content-Type,value=YXBwbGljYXRpb24vanNvbg=="}));
  EXPECT_EQ(webhook["secret"], nlohmann::json::array({"name=channel"}));
  nlohmann::json matcher = client.Get("/cluster/notifications/matchers/backup-failures").data();
  EXPECT_EQ(matcher["match-severity"], nlohmann::json::array({"error"}));
  // The secrets reached the private file.
  const std::string priv = client.Control("GET", "/files/priv/notifications.cfg").data().value("content", "");
  EXPECT_THAT(priv, HasSubstr("smtp-s3cret"));
  EXPECT_THAT(priv, HasSubstr("gotify-s3cret"));

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(NotificationE2e, AChangeMadeThroughTheApiIsDriftAndRemovalNeedsConsent) {
  E2E_START_OR_SKIP(cluster);
  SetNotificationSecrets();
  auto spec = cluster->Load(ClusterHead() + kNotificationsYaml);
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ApiResult put = cluster->Client().Put("/cluster/notifications/matchers/backup-failures", {{"mode", "any"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("notification_matcher/backup-failures"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  // The webhook and the matcher go; the matcher is removed first (Proxmox refuses to delete a named target).
  std::string text = ClusterHead() + kNotificationsYaml;
  text.replace(text.find("- name: chat"), 12, "- name: chat\n      state: absent");
  text.replace(text.find("- { name: backup-failures,"), 26, "- { name: backup-failures, state: absent,");
  auto absent = cluster->Load(text);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/cluster/notifications/endpoints/webhook/chat").status, 200);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun removed = cluster->RunApply(*absent, options);
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_NE(cluster->Client().Get("/cluster/notifications/endpoints/webhook/chat").status, 200);
  EXPECT_NE(cluster->Client().Get("/cluster/notifications/matchers/backup-failures").status, 200);
  EXPECT_EQ(cluster->Client().Get("/cluster/notifications/endpoints/smtp/relay").status, 200);
}

TEST(NotificationE2e, TheBuiltInTargetIsLeftAloneUnlessDeclared) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ClusterHead() + R"(
notifications:
  sendmail:
    - { name: mail-to-root, mailto_users: [root@pam], comment: root gets everything }
)");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), UnorderedElementsAre("update notification_sendmail/mail-to-root"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  nlohmann::json root = cluster->Client().Get("/cluster/notifications/endpoints/sendmail/mail-to-root").data();
  EXPECT_EQ(root.value("origin", ""), "modified-builtin");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

}  // namespace
}  // namespace hainfra::testing
