#include "providers/kinds/access_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

struct AccessTokenId {
  std::string user;
  std::string name;
};

AccessTokenId SplitAccessToken(const std::string& id) {
  const size_t bang = id.find('!');
  if (bang == std::string::npos) return {id, ""};
  return {id.substr(0, bang), id.substr(bang + 1)};
}

std::string AccessTokenPath(const std::string& id) {
  const AccessTokenId t = SplitAccessToken(id);
  return transport::ApiPath({"access", "users", t.user, "token", t.name});
}

// Proxmox checks "the user's own token, or User.Modify on the user" and names neither when both fail:
// a refusal that names no privilege gets the one hainfra's role lacks.
Error NamingThePrivilege(Error e, const std::string& id) {
  if (e.code == Code::kPermissionDenied && e.message.ends_with("lack a privilege for this call")) {
    e.message += ": `User.Modify` on `/access/users/" + SplitAccessToken(id).user +
                 "` (grant it to hainfra's role: docs/privileges.md, `hainfra bootstrap-token`)";
  }
  return e;
}

// One token of a user's `tokens` (GET /access/users?full=1) -> the spec's shape.
Value AccessTokenBody(const std::string& id, const Value& token) {
  Value body = {{"id", id}};
  body["privsep"] = pve::FlagOf(token, "privsep");
  body["expire"] = pve::IntOf(token.value("expire", Value())).value_or(0);
  body["comment"] = pve::TextOf(token.value("comment", Value()));
  return body;
}

}  // namespace

AccessTokenKind::AccessTokenKind(transport::ApiClient& api)
    : traits_{.name = "access_token", .order = order::kAccessToken, .body = SectionBody("access_token")},
      api_(api) {}

std::vector<Resource> AccessTokenKind::Desired(const Spec& spec) const { return SectionObjects(spec, "access_token"); }

Result<std::vector<Observed>> AccessTokenKind::ObserveUsers(const std::vector<Resource>* desired) {
  std::set<std::string> wanted;
  if (desired != nullptr) {
    for (const Resource& r : *desired) wanted.insert(r.address.name);
  }
  Result<Value> users = api_.Get("/access/users", Value{{"full", 1}});
  if (!users) return Fail(WithContext(users.error(), "access tokens"));
  std::vector<Observed> out;
  for (const Value& u : users->is_array() ? *users : Value::array()) {
    const std::string user = pve::TextOf(u.value("userid", Value()));
    const Value& tokens = u.value("tokens", Value::array());
    for (const Value& t : tokens.is_array() ? tokens : Value::array()) {
      const std::string id = user + "!" + pve::TextOf(t.value("tokenid", Value()));
      if (desired != nullptr && !wanted.contains(id)) continue;
      Observed o;
      o.address = Address{"access_token", id};
      o.body = AccessTokenBody(id, t);
      o.version = plan::Fingerprint(o.body);
      out.push_back(std::move(o));
    }
  }
  return out;
}

Result<std::vector<Observed>> AccessTokenKind::Observe(const std::vector<Resource>& desired) {
  if (desired.empty()) return std::vector<Observed>();
  // hainfra's own token (known only here when it comes from the environment): never deleted.
  const std::string self = api_.settings().HasToken() ? api_.settings().token_id : "";
  std::string problems;
  for (const Resource& r : desired) {
    if (!r.absent || r.address.name != self) continue;
    const Location& at = r.LocationOf("/state");
    problems += "\n" + (at.known() ? at.ToString() + ": " : Where(r)) + r.address.ToString() +
                ": deleting this token would lock hainfra out: it runs as this token; change this by hand, or run "
                "as another token";
  }
  if (!problems.empty()) return Fail(Code::kFailedPrecondition, "refused:" + problems);
  return ObserveUsers(&desired);
}

Result<std::vector<Observed>> AccessTokenKind::ObserveAll() { return ObserveUsers(nullptr); }

void AccessTokenKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
}

Status AccessTokenKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  (void)desired;
  const std::string self = api_.settings().HasToken() ? api_.settings().token_id : "";
  if (change.address.name != self) return Ok();
  for (FieldChange& f : change.fields) {
    if (f.path == "privsep" && change.after.value("privsep", true) && !observed.body.value("privsep", true)) {
      f.refused = "turning privilege separation on for the token hainfra runs as would lock hainfra out (it would "
                  "hold only its own ACL grants); change this by hand";
    }
    if (f.path == "expire" && change.after.value("expire", int64_t{0}) != 0) {
      f.refused = "an expiry for the token hainfra runs as would lock hainfra out once it passes; change this by hand";
    }
  }
  return Ok();
}

std::vector<Address> AccessTokenKind::References(const Value& body) const {
  if (!body.is_object()) return {};
  return {Address{"access_user", SplitAccessToken(pve::TextOf(body.value("id", Value()))).user}};
}

Status AccessTokenKind::WriteSecret(const std::string& path, const std::string& secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(Code::kFailedPrecondition, "secret_file " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  const std::string line = secret + "\n";
  ok = ok && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = (::close(fd) == 0) && ok;
  if (!ok) return Fail(Code::kFailedPrecondition, "secret_file " + path + ": writing failed");
  return Ok();
}

Status AccessTokenKind::Create(const Change& change) {
  std::string file = pve::TextOf(change.after.value("secret_file", Value()));
  if (file.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    file = std::string(home != nullptr ? home : "") + file.substr(1);
  }
  // The secret is shown once: make sure it has a place before the token exists.
  if (!file.empty()) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Fail(Code::kFailedPrecondition,
                  change.address.ToString() + ": secret_file " + file + ": " + std::strerror(errno));
    }
    ::close(fd);
  }
  Value params = Value::object();
  params["privsep"] = change.after.value("privsep", true) ? 1 : 0;
  if (change.after.contains("expire")) params["expire"] = change.after["expire"];
  const std::string comment = pve::TextOf(change.after.value("comment", Value()));
  if (!comment.empty()) params["comment"] = comment;
  Result<Value> made = api_.Post(AccessTokenPath(change.address.name), params);
  if (!made) return Fail(WithContext(NamingThePrivilege(made.error(), change.address.name), change.address.ToString()));
  const std::string secret = made->is_object() ? pve::TextOf(made->value("value", Value())) : "";
  if (!file.empty() && !secret.empty()) {
    if (Status s = WriteSecret(file, secret); !s) {
      return Fail(WithContext(s.error(), change.address.ToString() +
                                             " (the token exists, its secret is lost: delete it to make it anew)"));
    }
  }
  return Ok();
}

Status AccessTokenKind::Update(const Change& change) {
  const std::string path = AccessTokenPath(change.address.name);
  Result<Value> now = api_.Get(path);
  if (!now) return Fail(WithContext(now.error(), change.address.ToString()));
  Value current = AccessTokenBody(change.address.name, *now);
  if (plan::Fingerprint(current) != change.version) {
    return Fail(Code::kFailedPrecondition,
                change.address.ToString() + " changed in the cluster since it was planned; plan again");
  }
  Value params = Value::object();
  for (const std::string& field : ChangedFields(change)) {
    if (field == "privsep") params["privsep"] = change.after.value("privsep", true) ? 1 : 0;
    if (field == "expire") params["expire"] = change.after.value("expire", int64_t{0});
    if (field == "comment") {
      const std::string comment = pve::TextOf(change.after.value("comment", Value()));
      if (comment.empty()) params["delete"] = "comment";
      else params["comment"] = comment;
    }
  }
  if (params.empty()) return Ok();
  Result<Value> put = api_.Put(path, params);
  if (!put) return Fail(WithContext(NamingThePrivilege(put.error(), change.address.name), change.address.ToString()));
  return Ok();
}

Status AccessTokenKind::Delete(const Change& change) {
  Result<Value> gone = api_.Delete(AccessTokenPath(change.address.name));
  if (!gone) {
    if (gone.error().message.find("no such token") != std::string::npos) return Ok();
    return Fail(WithContext(NamingThePrivilege(gone.error(), change.address.name), change.address.ToString()));
  }
  return Ok();
}

}  // namespace hainfra::providers
