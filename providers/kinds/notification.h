// The notification system's kinds over /cluster/notifications (notifications.cfg, secrets in
// priv/notifications.cfg): `notification_sendmail|smtp|gotify|webhook/<name>` (one endpoint collection per
// target type) and `notification_matcher/<name>`. Passwords, tokens and webhook secrets are write-only:
// Proxmox never answers them, so they are written on create and when the spec changes another way.
#pragma once

#include <string>

#include "providers/kinds/section_kind.h"
#include "providers/pve/field_map.h"

namespace hainfra::providers {

// What the notification kinds share: `hainfra export` leaves out the built-ins Proxmox ships unchanged
// (`mail-to-root`, `default-matcher`); a plan still sees them, so a spec may declare and change them.
class NotificationKind : public SectionKind {
 public:
  Result<std::vector<Observed>> ObserveAll() override;

 protected:
  using SectionKind::SectionKind;
  // True for an entry Proxmox ships and nobody changed, while exporting.
  bool HiddenBuiltin(const Value& object) const;

 private:
  bool exporting_ = false;
};

// A target type whose fields map one to one: sendmail, smtp, gotify.
class NotificationTargetKind : public NotificationKind {
 public:
  // `type`: "sendmail", "smtp" or "gotify" (the kind is notification_<type>).
  NotificationTargetKind(transport::ApiClient& api, const std::string& type);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;

 private:
  std::string type_;
  pve::FieldTable table_;
};

// Webhooks: the body and header values are base64 in the API, headers and secrets `name=..,value=..`
// property strings.
class NotificationWebhookKind : public NotificationKind {
 public:
  explicit NotificationWebhookKind(transport::ApiClient& api);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
};

class NotificationMatcherKind : public NotificationKind {
 public:
  explicit NotificationMatcherKind(transport::ApiClient& api);

  // The targets it names, of whichever type is declared.
  std::vector<Address> References(const Value& body) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
};

}  // namespace hainfra::providers
