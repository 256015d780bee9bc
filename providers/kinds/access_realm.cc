#include "providers/kinds/access_realm.h"

#include <set>

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kAccessRealmFields[] = {
    {"type", "type"},
    {"comment", "comment"},
    {"default", "default", Spelling::kBool},
    {"server1", "server1"},
    {"server2", "server2"},
    {"port", "port", Spelling::kInt},
    {"mode", "mode"},
    {"verify", "verify", Spelling::kBool},
    {"base_dn", "base_dn"},
    {"user_attr", "user_attr"},
    {"domain", "domain"},
    {"bind_dn", "bind_dn"},
    {"password", "password"},
    {"issuer_url", "issuer-url"},
    {"client_id", "client-id"},
    {"client_key", "client-key"},
    {"username_claim", "username-claim"},
    {"autocreate", "autocreate", Spelling::kBool},
};

}  // namespace

AccessRealmKind::AccessRealmKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "access_realm", .order = order::kAccessRealm, .body = SectionBody("access_realm")},
                  api,
                  pve::SectionEndpoint{.collection = "/access/domains",
                                       .id_key = "realm",
                                       .update_digest = true,
                                       .volatile_keys = {"digest"},
                                       .gone_messages = {"does not exist"}}) {}

Result<std::vector<Observed>> AccessRealmKind::ObserveRealms(const std::vector<std::string>& names) {
  std::vector<Observed> out;
  for (const std::string& name : names) {
    Result<Value> read = section().Read(name);
    if (!read) {
      if (read.error().message.find("does not exist") != std::string::npos) continue;
      return Fail(WithContext(read.error(), "access_realm/" + name));
    }
    const Value object = AsListed(name, *read);
    Result<std::optional<Decoded>> decoded = Decode(object);
    if (!decoded) return Fail(WithContext(decoded.error(), "access_realm/" + name));
    if (!decoded->has_value()) continue;
    Observed o;
    o.address = Address{"access_realm", name};
    o.body = std::move((*decoded)->body);
    o.version = section().VersionOf(object);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> AccessRealmKind::Observe(const std::vector<Resource>& desired) {
  if (desired.empty()) return std::vector<Observed>();
  Result<std::vector<Value>> list = section().List();
  if (!list) return Fail(list.error());
  std::set<std::string> existing;
  for (const Value& r : *list) existing.insert(pve::TextOf(r.value("realm", Value())));
  std::vector<std::string> names;
  for (const Resource& r : desired) {
    if (existing.contains(r.address.name)) names.push_back(r.address.name);
  }
  return ObserveRealms(names);
}

Result<std::vector<Observed>> AccessRealmKind::ObserveAll() {
  Result<std::vector<Value>> list = section().List();
  if (!list) return Fail(list.error());
  std::vector<std::string> names;
  for (const Value& r : *list) names.push_back(pve::TextOf(r.value("realm", Value())));
  return ObserveRealms(names);
}

Result<std::optional<SectionKind::Decoded>> AccessRealmKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("realm", Value()));
  if (id.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kAccessRealmFields);
  if (!body) return Fail(body.error());
  (*body)["realm"] = id;
  if (!body->contains("comment")) (*body)["comment"] = "";
  if (!body->contains("default")) (*body)["default"] = false;
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> AccessRealmKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kAccessRealmFields);
  return params;
}

std::vector<std::string> AccessRealmKind::ApiKeys(std::string_view field) const {
  if (field == "type" || field == "password") return {};  // fixed once created / written on create only
  return pve::ApiKeysOf(field, kAccessRealmFields);
}

Value AccessRealmKind::AsListed(const std::string& name, const Value& read) const {
  Value out = read;
  out["realm"] = name;
  return out;
}

}  // namespace hainfra::providers
