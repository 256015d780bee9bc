// `notifications:` — Proxmox's notification system (/cluster/notifications, notifications.cfg): the targets
// by type (sendmail, smtp, gotify, webhooks) and the matchers that route notifications to them.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

// What every target has: its name, presence, comment and pause.
std::vector<FieldSpec> NotificationTargetFields(std::string example, std::vector<FieldSpec> own) {
  std::vector<FieldSpec> fields = {
      String("name", "target name (unique among all targets and matchers)").Format("pve-configid").Required()
          .Example(std::move(example)),
      StateField({"present", "absent"}, "absent removes the target"),
  };
  for (FieldSpec& f : own) fields.push_back(std::move(f));
  fields.push_back(String("comment", "free text"));
  fields.push_back(Bool("disable", "pause the target (default false)"));
  return fields;
}

// The recipients and sender of the two mail targets.
std::vector<FieldSpec> NotificationMailFields(std::vector<FieldSpec> fields) {
  fields.push_back(List("mailto", "mail addresses", String("address", "").Format("email-or-user")).Set());
  fields.push_back(List("mailto_users", "users whose configured mail address receives it",
                        String("user", "").Format("pve-userid"))
                       .Set());
  fields.push_back(String("author", "the mail's author (default Proxmox VE)"));
  return fields;
}

}  // namespace

SectionSpec NotificationSendmailSection() {
  return {.path = "notifications.sendmail",
          .kind = "notification_sendmail",
          .identity = "name",
          .item = Object("notification_sendmail", "A mail target through the node's sendmail",
                         NotificationTargetFields(
                             "ops-mail", NotificationMailFields({
                                             String("from_address", "the sender (default: datacenter email_from)")
                                                 .Format("email"),
                                         })))};
}

SectionSpec NotificationSmtpSection() {
  return {.path = "notifications.smtp",
          .kind = "notification_smtp",
          .identity = "name",
          .item = Object("notification_smtp", "A mail target through an SMTP relay",
                         NotificationTargetFields(
                             "relay", NotificationMailFields({
                                          String("server", "the SMTP server's address").Required()
                                              .Example("smtp.example.com"),
                                          Int("port", "port (default 465 with tls, 587 starttls, 25 insecure)")
                                              .Min(1).Max(65535),
                                          Enum("mode", "encryption (default tls)", {"insecure", "starttls", "tls"}),
                                          String("username", "user for SMTP authentication"),
                                          String("password", "password for SMTP authentication").Secret()
                                              .Example("${env:SMTP_PASSWORD}"),
                                          String("from_address", "the sender").Format("email").Required()
                                              .Example("pve@example.com"),
                                      })))};
}

SectionSpec NotificationGotifySection() {
  return {.path = "notifications.gotify",
          .kind = "notification_gotify",
          .identity = "name",
          .item = Object("notification_gotify", "A Gotify server target",
                         NotificationTargetFields(
                             "phone", {
                                          String("server", "the Gotify server's URL").Pattern("^https?://.+$")
                                              .Required().Example("https://gotify.example.com"),
                                          String("token", "the application token").Secret().Required()
                                              .Example("${env:GOTIFY_TOKEN}"),
                                      }))};
}

SectionSpec NotificationWebhookSection() {
  return {.path = "notifications.webhooks",
          .kind = "notification_webhook",
          .identity = "name",
          .item = Object(
              "notification_webhook", "A webhook target (an HTTP request per notification)",
              NotificationTargetFields(
                  "chat", {
                              String("url", "the URL (templates such as {{ secrets.token }} allowed)")
                                  .Pattern("^https?://.+$").Required().Example("https://chat.example.com/hooks/pve"),
                              Enum("method", "HTTP method", {"post", "put", "get"}).Required(),
                              String("body", "the request body (a template: {{ title }}, {{ message }}, ...)"),
                              Map("headers", "HTTP headers by name", String("value", ""))
                                  .Pattern("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
                                  .Example("{ Content-Type: application/json }"),
                              Map("secrets", "values the templates use as {{ secrets.NAME }}, kept secret",
                                  String("value", "").Secret())
                                  .Pattern("^[A-Za-z0-9_-]+$")
                                  .Secret()
                                  .Example("{ token: ${env:CHAT_TOKEN} }"),
                          }))};
}

SectionSpec NotificationMatcherSection() {
  return {
      .path = "notifications.matchers",
      .kind = "notification_matcher",
      .identity = "name",
      .item = Object(
          "notification_matcher", "A rule routing notifications to targets",
          {
              String("name", "matcher name (unique among all targets and matchers)").Format("pve-configid")
                  .Required().Example("backup-failures"),
              StateField({"present", "absent"}, "absent removes the matcher"),
              List("severity", "severities it matches",
                   Enum("severity", "", {"info", "notice", "warning", "error", "unknown"}))
                  .Set(),
              List("fields", "metadata it matches: exact:FIELD=VALUE[,VALUE] or regex:FIELD=REGEX",
                   String("match", "").Pattern("^(exact|regex):[A-Za-z0-9_.-]+=.*$"))
                  .Set()
                  .Example("[\"exact:type=vzdump\"]"),
              List("calendar", "when it matches (e.g. mon..fri 8-17)", String("span", "")).Set(),
              Enum("mode", "all the conditions or any of them (default all)", {"all", "any"}),
              Bool("invert", "match what the conditions do not (default false)"),
              List("targets", "the targets it notifies", String("target", "").Format("pve-configid")).Set()
                  .Example("[ops-mail]"),
              String("comment", "free text"),
              Bool("disable", "pause the matcher (default false)"),
          })};
}

}  // namespace hainfra::schemas
