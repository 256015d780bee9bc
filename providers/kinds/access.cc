#include "providers/kinds/access.h"

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kAccessGroupFields[] = {
    {"comment", "comment"},
};

constexpr FieldMapping kAccessUserFields[] = {
    {"enable", "enable", Spelling::kBool},
    {"expire", "expire", Spelling::kInt},
    {"groups", "groups", Spelling::kList},
    {"comment", "comment"},
    {"email", "email"},
    {"firstname", "firstname"},
    {"lastname", "lastname"},
};

// The text keys an update writes empty when the spec no longer sets them (these PUTs take no `delete`).
constexpr std::string_view kAccessClearable[] = {"groups", "comment", "email", "firstname", "lastname"};

// `params` without the empty strings: what a create sends.
Value AccessWithoutEmpty(const Value& params) {
  Value out = Value::object();
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.value().is_string() && it.value().get<std::string>().empty()) continue;
    out[it.key()] = it.value();
  }
  return out;
}

// Every clearable key of `table` that `params` lacks, written empty.
void AccessFillEmpty(Value& params, pve::FieldTable table) {
  for (const FieldMapping& m : table) {
    for (std::string_view key : kAccessClearable) {
      if (m.api == key && !params.contains(std::string(key))) params[std::string(key)] = "";
    }
  }
}

}  // namespace

AccessGroupKind::AccessGroupKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "access_group", .order = order::kAccessGroup, .body = SectionBody("access_group")},
                  api,
                  pve::SectionEndpoint{.collection = "/access/groups",
                                       .id_key = "groupid",
                                       .update_digest = false,  // user.cfg has no digest
                                       .volatile_keys = {"users"},  // members are the users' setting
                                       .gone_messages = {"does not exist"}}) {}

Result<std::optional<SectionKind::Decoded>> AccessGroupKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("groupid", Value()));
  if (id.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kAccessGroupFields);
  if (!body) return Fail(body.error());
  (*body)["groupid"] = id;
  if (!body->contains("comment")) (*body)["comment"] = "";  // unset reads as empty, as the spec writes it
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> AccessGroupKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kAccessGroupFields);
  AccessFillEmpty(params, kAccessGroupFields);
  return params;
}

std::vector<std::string> AccessGroupKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kAccessGroupFields);
}

Value AccessGroupKind::AsListed(const std::string& name, const Value& read) const {
  // The read names members; the list names them `users` (volatile: members are the users' setting).
  Value out = read;
  out.erase("members");
  out["groupid"] = name;
  return out;
}

Status AccessGroupKind::Create(const Change& change) {
  Result<Value> params = Encode(change.after);
  if (!params) return Fail(WithContext(params.error(), change.address.ToString()));
  Status done = section().Create(change.address.name, AccessWithoutEmpty(*params));
  if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
  return Ok();
}

AccessUserKind::AccessUserKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "access_user", .order = order::kAccessUser, .body = SectionBody("access_user")},
                  api,
                  pve::SectionEndpoint{.collection = "/access/users",
                                       .id_key = "userid",
                                       .update_digest = false,  // user.cfg has no digest
                                       .volatile_keys = {"tokens", "realm-type"},  // tokens are their own
                                       .gone_messages = {"no such user"}}) {}

Result<std::optional<SectionKind::Decoded>> AccessUserKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("userid", Value()));
  if (id.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kAccessUserFields);
  if (!body) return Fail(body.error());
  (*body)["userid"] = id;
  // The API schema's defaults: enabled, never expiring.
  if (!body->contains("enable")) (*body)["enable"] = true;
  if (!body->contains("expire")) (*body)["expire"] = 0;
  // Unset reads as empty, as the spec writes it to clear (`groups: []`, `comment: ""`).
  if (!body->contains("groups")) (*body)["groups"] = Value::array();
  for (const char* key : {"comment", "email", "firstname", "lastname"}) {
    if (!body->contains(key)) (*body)[key] = "";
  }
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> AccessUserKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kAccessUserFields);
  AccessFillEmpty(params, kAccessUserFields);
  return params;
}

std::vector<std::string> AccessUserKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kAccessUserFields);
}

Value AccessUserKind::AsListed(const std::string& name, const Value& read) const {
  // The read carries groups as an array and tokens as an object; the full list joins the groups (and
  // leaves them out when there are none).
  Value out = read;
  out.erase("tokens");
  std::string groups;
  for (const std::string& g : pve::StringsOf(read.value("groups", Value::array()))) {
    groups += (groups.empty() ? "" : ",") + g;
  }
  if (groups.empty()) out.erase("groups");
  else out["groups"] = groups;
  out["userid"] = name;
  return out;
}

Status AccessUserKind::Create(const Change& change) {
  Result<Value> params = Encode(change.after);
  if (!params) return Fail(WithContext(params.error(), change.address.ToString()));
  Status done = section().Create(change.address.name, AccessWithoutEmpty(*params));
  if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
  return Ok();
}

std::vector<Address> AccessUserKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  for (const std::string& group : pve::StringsOf(body.value("groups", Value::array()))) {
    out.push_back(Address{"access_group", group});
  }
  return out;
}

}  // namespace hainfra::providers
