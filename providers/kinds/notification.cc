#include "providers/kinds/notification.h"

#include "engine/spec/secrets.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/base64.h"
#include "providers/pve/property_string.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// What every target has besides its own fields.
#define NOTIFICATION_COMMON {"comment", "comment"}, {"disable", "disable", Spelling::kBool}
#define NOTIFICATION_MAIL                                                                     \
  {"mailto", "mailto", Spelling::kArray}, {"mailto_users", "mailto-user", Spelling::kArray}, \
      {"author", "author"}, {"from_address", "from-address"}

constexpr FieldMapping kNotificationSendmailFields[] = {NOTIFICATION_MAIL, NOTIFICATION_COMMON};
constexpr FieldMapping kNotificationSmtpFields[] = {
    NOTIFICATION_MAIL,
    {"server", "server"},
    {"port", "port", Spelling::kInt},
    {"mode", "mode"},
    {"username", "username"},
    {"password", "password"},
    NOTIFICATION_COMMON,
};
constexpr FieldMapping kNotificationGotifyFields[] = {{"server", "server"}, {"token", "token"}, NOTIFICATION_COMMON};
constexpr FieldMapping kNotificationWebhookFields[] = {{"url", "url"}, {"method", "method"}, NOTIFICATION_COMMON};
constexpr FieldMapping kNotificationMatcherFields[] = {
    {"severity", "match-severity", Spelling::kArray},
    {"fields", "match-field", Spelling::kArray},
    {"calendar", "match-calendar", Spelling::kArray},
    {"mode", "mode"},
    {"invert", "invert-match", Spelling::kBool},
    {"targets", "target", Spelling::kArray},
    NOTIFICATION_COMMON,
};

#undef NOTIFICATION_COMMON
#undef NOTIFICATION_MAIL

// Keys of an answer that are no setting: where the entry comes from (user-created, builtin, modified-builtin).
pve::SectionEndpoint NotificationEndpoint(std::string collection) {
  return pve::SectionEndpoint{.collection = std::move(collection),
                              .id_key = "name",
                              .update_digest = true,
                              .volatile_keys = {"origin"},
                              .gone_messages = {"does not exist", "not found"},
                              .delete_as_array = true};
}

pve::FieldTable NotificationTable(const std::string& type) {
  if (type == "smtp") return kNotificationSmtpFields;
  if (type == "gotify") return kNotificationGotifyFields;
  return kNotificationSendmailFields;
}

// Reads the defaults in, so a spec that writes them is not drift.
void NotificationDefaults(Value& body, const Value& defaults) {
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!body.contains(it.key())) body[it.key()] = it.value();
  }
}

// One `name=<name>,value=<base64>` entry of a webhook's header or secret list.
std::string NotificationNamedValue(const std::string& name, const std::string& value) {
  return "name=" + name + ",value=" + pve::Base64Encode(value);
}

}  // namespace

Result<std::vector<Observed>> NotificationKind::ObserveAll() {
  exporting_ = true;
  Result<std::vector<Observed>> all = Observe({});
  exporting_ = false;
  return all;
}

bool NotificationKind::HiddenBuiltin(const Value& object) const {
  return exporting_ && object.value("origin", "") == "builtin";
}

NotificationTargetKind::NotificationTargetKind(transport::ApiClient& api, const std::string& type)
    : NotificationKind(KindTraits{.name = "notification_" + type,
                             .order = order::kNotificationTarget,
                             .body = SectionBody("notification_" + type)},
                  api, NotificationEndpoint("/cluster/notifications/endpoints/" + type)),
      type_(type),
      table_(NotificationTable(type)) {}

Result<std::optional<SectionKind::Decoded>> NotificationTargetKind::Decode(const Value& object) const {
  const std::string name = pve::TextOf(object.value("name", Value()));
  if (name.empty() || HiddenBuiltin(object)) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, table_);
  if (!body) return Fail(body.error());
  // Write-only: never answered (and must never be compared if some version did answer).
  body->erase("password");
  body->erase("token");
  (*body)["name"] = name;
  NotificationDefaults(*body, type_ == "smtp" ? Value{{"disable", false}, {"mode", "tls"}} : Value{{"disable", false}});
  return std::optional<Decoded>(Decoded{name, std::move(*body)});
}

Result<Value> NotificationTargetKind::Encode(const Value& body) const { return pve::EncodeFields(body, table_); }

std::vector<std::string> NotificationTargetKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, table_);
}

NotificationWebhookKind::NotificationWebhookKind(transport::ApiClient& api)
    : NotificationKind(KindTraits{.name = "notification_webhook",
                             .order = order::kNotificationTarget,
                             .body = SectionBody("notification_webhook")},
                  api, NotificationEndpoint("/cluster/notifications/endpoints/webhook")) {}

Result<std::optional<SectionKind::Decoded>> NotificationWebhookKind::Decode(const Value& object) const {
  const std::string name = pve::TextOf(object.value("name", Value()));
  if (name.empty() || HiddenBuiltin(object)) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kNotificationWebhookFields);
  if (!body) return Fail(body.error());
  (*body)["name"] = name;
  if (object.contains("body")) {
    std::optional<std::string> text = pve::Base64Decode(pve::TextOf(object["body"]));
    if (!text) return Fail(Code::kInternal, "body: not base64");
    (*body)["body"] = *text;
  }
  if (object.contains("header")) {
    Value headers = Value::object();
    for (const std::string& entry : pve::StringsOf(object["header"])) {
      Result<pve::PropertyString> parsed = pve::ParsePropertyString(entry, "");
      if (!parsed) return Fail(WithContext(parsed.error(), "header"));
      const std::string* header = parsed->Find("name");
      const std::string* encoded = parsed->Find("value");
      std::optional<std::string> value = pve::Base64Decode(encoded == nullptr ? "" : *encoded);
      if (header == nullptr || !value) return Fail(Code::kInternal, "header: `" + entry + "` is not name=..,value=<base64>");
      headers[*header] = *value;
    }
    (*body)["headers"] = headers;
  }
  // `secret` answers only the names: the values are write-only.
  NotificationDefaults(*body, Value{{"disable", false}});
  return std::optional<Decoded>(Decoded{name, std::move(*body)});
}

Result<Value> NotificationWebhookKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kNotificationWebhookFields);
  if (body.contains("body") && !pve::TextOf(body["body"]).empty()) {
    params["body"] = pve::Base64Encode(pve::TextOf(body["body"]));
  }
  Value headers = Value::array();
  const Value header_map = body.value("headers", Value::object());
  for (auto it = header_map.begin(); it != header_map.end(); ++it) {
    headers.push_back(NotificationNamedValue(it.key(), pve::TextOf(it.value())));
  }
  if (!headers.empty()) params["header"] = headers;
  Value secrets = Value::array();
  const Value written = body.value("secrets", Value::object());
  for (auto it = written.begin(); it != written.end(); ++it) {
    Result<std::string> value = spec::ResolveSecret(pve::TextOf(it.value()));
    if (!value) return Fail(WithContext(value.error(), "secrets." + it.key()));
    secrets.push_back(NotificationNamedValue(it.key(), *value));
  }
  if (!secrets.empty()) params["secret"] = secrets;
  return params;
}

std::vector<std::string> NotificationWebhookKind::ApiKeys(std::string_view field) const {
  if (field == "body") return {"body"};
  if (field == "headers") return {"header"};
  if (field == "secrets") return {"secret"};
  return pve::ApiKeysOf(field, kNotificationWebhookFields);
}

NotificationMatcherKind::NotificationMatcherKind(transport::ApiClient& api)
    : NotificationKind(KindTraits{.name = "notification_matcher",
                             .order = order::kNotificationMatcher,
                             .body = SectionBody("notification_matcher")},
                  api, NotificationEndpoint("/cluster/notifications/matchers")) {}

Result<std::optional<SectionKind::Decoded>> NotificationMatcherKind::Decode(const Value& object) const {
  const std::string name = pve::TextOf(object.value("name", Value()));
  if (name.empty() || HiddenBuiltin(object)) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kNotificationMatcherFields);
  if (!body) return Fail(body.error());
  (*body)["name"] = name;
  NotificationDefaults(*body, Value{{"disable", false}, {"mode", "all"}, {"invert", false}});
  return std::optional<Decoded>(Decoded{name, std::move(*body)});
}

Result<Value> NotificationMatcherKind::Encode(const Value& body) const {
  return pve::EncodeFields(body, kNotificationMatcherFields);
}

std::vector<std::string> NotificationMatcherKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kNotificationMatcherFields);
}

std::vector<Address> NotificationMatcherKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  for (const std::string& target : pve::StringsOf(body.value("targets", Value::array()))) {
    for (const char* kind : {"notification_sendmail", "notification_smtp", "notification_gotify", "notification_webhook"}) {
      out.push_back(Address{kind, target});
    }
  }
  return out;
}

}  // namespace hainfra::providers
