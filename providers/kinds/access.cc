#include "providers/kinds/access.h"

#include <algorithm>
#include <ctime>

#include "engine/spec/secrets.h"

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
                                       .gone_messages = {"no such user"}}),
      api_(api) {}

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
  Value create = AccessWithoutEmpty(*params);
  if (change.after.contains("password")) {
    Result<std::string> password = spec::ResolveSecret(pve::TextOf(change.after["password"]));
    if (!password) return Fail(WithContext(password.error(), change.address.ToString() + ": password"));
    create["password"] = *password;
  }
  Status done = section().Create(change.address.name, std::move(create));
  if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
  return Ok();
}

Status AccessUserKind::CheckDesired(const std::vector<Resource>& desired) const {
  const transport::ApiSettings& settings = api_.settings();
  if (!settings.HasToken()) return Ok();
  const std::string self = settings.token_id.substr(0, settings.token_id.find('!'));
  std::string problems;
  for (const Resource& r : desired) {
    if (!r.absent || r.address.name != self) continue;
    const Location& at = r.LocationOf("/state");
    problems += "\n" + (at.known() ? at.ToString() + ": " : Where(r)) + r.address.ToString() +
                ": deleting this user would lock hainfra out: it runs as its API token " + settings.token_id +
                "; change this by hand, or run as another token";
  }
  if (!problems.empty()) return Fail(Code::kFailedPrecondition, "refused:" + problems);
  return Ok();
}

Result<std::vector<Observed>> AccessUserKind::Observe(const std::vector<Resource>& desired) {
  Result<std::vector<Observed>> out = SectionKind::Observe(desired);
  if (!out) return out;
  for (const Resource& r : desired) {
    if (r.absent || !r.body.contains("password")) continue;
    auto seen = std::find_if(out->begin(), out->end(), [&](const Observed& o) { return o.address == r.address; });
    if (seen == out->end()) continue;
    // A disabled or expired user cannot log in: its password cannot be checked, so it is left as it is.
    const int64_t expire = seen->body.value("expire", int64_t{0});
    if (!seen->body.value("enable", true) || (expire != 0 && expire < static_cast<int64_t>(std::time(nullptr)))) {
      seen->body["password"] = r.body["password"];
      continue;
    }
    Result<std::string> password = spec::ResolveSecret(pve::TextOf(r.body["password"]));
    if (!password) return Fail(WithContext(password.error(), r.address.ToString() + ": password"));
    transport::Request login;
    login.method = transport::Method::kPost;
    login.path = "/access/ticket";
    login.params = Value{{"username", r.address.name}, {"password", *password}};
    login.auth = transport::Auth::kNone;
    login.idempotent = true;
    Result<Value> ticket = api_.Send(login);
    if (ticket) {
      seen->body["password"] = r.body["password"];  // it matches: no change
    } else if (ticket.error().message.find("HTTP 401") != std::string::npos) {
      seen->body["password"] = "(another password)";
    } else {
      return Fail(WithContext(ticket.error(), r.address.ToString() + ": checking the password"));
    }
  }
  return out;
}

Status AccessUserKind::Update(const Change& change) {
  const std::vector<std::string> fields = ChangedFields(change);
  if (std::find(fields.begin(), fields.end(), "password") != fields.end()) {
    if (api_.settings().HasToken()) {  // the schema: PUT /access/password has allowtoken 0
      return Fail(Code::kFailedPrecondition,
                  change.address.ToString() + ": password: Proxmox does not let an API token change a password "
                  "(PUT /access/password); set it with `pveum passwd " + change.address.name +
                  "` on a node, or run hainfra with a user's password instead of a token");
    }
    Result<std::string> password = spec::ResolveSecret(pve::TextOf(change.after.value("password", Value(""))));
    if (!password) return Fail(WithContext(password.error(), change.address.ToString() + ": password"));
    Result<Value> put = api_.Put("/access/password", Value{{"userid", change.address.name}, {"password", *password}});
    if (!put) return Fail(WithContext(put.error(), change.address.ToString() + ": password"));
    if (fields.size() == 1) return Ok();
  }
  return SectionKind::Update(change);
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
