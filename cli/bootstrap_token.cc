#include "cli/bootstrap_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <vector>

#include "providers/access/kind_privileges.h"
#include "providers/transport/api_path.h"
#include "providers/transport/api_settings.h"

namespace hainfra::cli {
namespace {

const Value& BootstrapMember(const Value& object, const char* key) {
  static const Value kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string JoinPrivileges(const std::set<std::string>& privs) {
  std::string out;
  for (const auto& p : privs) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::set<std::string> SplitPrivileges(const std::string& text) {
  std::set<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',' || c == ' ' || c == ';') {
      if (!cur.empty()) out.insert(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// One step of the bootstrap: what it does (for the plan) and the call that does it.
struct BootstrapStep {
  std::string what;
  transport::Method method;
  std::string path;
  Value params;
};

// What exists: the role's privileges (nullopt: no such role), the user, its tokens, the ACL entries on /.
struct BootstrapObserved {
  std::optional<std::set<std::string>> role;
  bool user = false;
  bool token = false;
  bool user_acl = false;
  bool token_acl = false;
};

Result<BootstrapObserved> ObserveAccess(transport::ApiClient& api, const BootstrapTokenOptions& o,
                                        const std::string& user, const std::string& token_name) {
  BootstrapObserved seen;
  Result<Value> roles = api.Get("/access/roles");
  if (!roles) return Fail(roles.error());
  for (const Value& r : *roles) {
    if (r.value("roleid", "") == o.role) seen.role = SplitPrivileges(r.value("privs", ""));
  }
  Result<Value> users = api.Get("/access/users", Value{{"full", 1}});
  if (!users) return Fail(users.error());
  for (const Value& u : *users) {
    if (u.value("userid", "") != user) continue;
    seen.user = true;
    for (const Value& t : BootstrapMember(u, "tokens").is_array() ? u["tokens"] : Value::array()) {
      if (t.value("tokenid", "") == token_name) seen.token = true;
    }
  }
  Result<Value> acl = api.Get("/access/acl");
  if (!acl) return Fail(acl.error());
  for (const Value& a : *acl) {
    if (a.value("path", "") != "/" || a.value("roleid", "") != o.role) continue;
    bool propagate = a.contains("propagate") && a["propagate"].is_number() && a["propagate"].get<int>() == 1;
    if (!propagate) continue;
    if (a.value("type", "") == "user" && a.value("ugid", "") == user) seen.user_acl = true;
    if (a.value("type", "") == "token" && a.value("ugid", "") == o.token) seen.token_acl = true;
  }
  return seen;
}

// Writes `secret` to `path` with mode 0600 (created so, never readable by others even for a moment).
Status WriteSecretFile(const std::string& path, const std::string& secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(Code::kFailedPrecondition, "--secret-file " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  std::string line = secret + "\n";
  ok = ok && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = (::close(fd) == 0) && ok;
  if (!ok) return Fail(Code::kFailedPrecondition, "--secret-file " + path + ": writing failed");
  return Ok();
}

}  // namespace

Result<transport::ApiSettings> BootstrapLoginSettings(const Spec& spec, const transport::EnvLookup& env,
                                                      const std::string& user, const std::string& password) {
  const std::vector<const Resource*> clusters = spec.OfKind("cluster");
  Value api = clusters.empty() ? Value::object() : BootstrapMember(clusters.front()->body, "api");
  if (!api.is_object()) api = Value::object();
  // The token hainfra will use does not exist yet: log in with the password only.
  for (const char* key : {"token", "secret", "password", "user"}) api.erase(key);
  transport::EnvLookup login_env = [env](const std::string& name) -> std::optional<std::string> {
    if (name == "HAINFRA_API_TOKEN" || name == "HAINFRA_API_SECRET" || name == "HAINFRA_API_PASSWORD" ||
        name == "HAINFRA_API_USER") {
      return std::nullopt;
    }
    return env ? env(name) : std::nullopt;
  };
  Result<transport::ApiSettings> settings = transport::ApiSettingsFromSpec(api);
  if (!settings) return settings;
  if (auto st = transport::ApplyApiEnvironment(*settings, login_env); !st) return Fail(st.error());
  settings->ticket_user = user;
  settings->password = transport::Secret(password);
  if (auto st = transport::ValidateApiSettings(*settings); !st) return Fail(st.error());
  return settings;
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Code::kNotFound, "--password-file " + path + ": cannot be read");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Fail(Code::kInvalidArgument, "--password-file " + path + ": the first line is empty");
  return line;
}

int RunBootstrapToken(const Spec& spec, transport::ApiClient& api, const BootstrapTokenOptions& given, Console& console) {
  BootstrapTokenOptions o = given;
  if (o.token.empty()) {
    // The token the spec already names (cluster.api.token, without an inline secret), else hainfra's default.
    const std::vector<const Resource*> clusters = spec.OfKind("cluster");
    const Value& named = clusters.empty() ? Value() : BootstrapMember(BootstrapMember(clusters.front()->body, "api"), "token");
    o.token = named.is_string() ? named.get<std::string>().substr(0, named.get<std::string>().find('=')) : "hainfra@pve!hainfra";
  }
  auto bang = o.token.find('!');
  if (bang == std::string::npos || bang == 0 || bang + 1 == o.token.size() || o.token.find('@') > bang) {
    console.err << "error: --token " << o.token << ": expected USER@REALM!TOKENID (e.g. hainfra@pve!hainfra)\n";
    return kExitError;
  }
  const std::string user = o.token.substr(0, bang), token_name = o.token.substr(bang + 1);
  const std::set<std::string> kinds = providers::KindsUsed(spec);
  const std::set<std::string> privileges = providers::RequiredPrivileges(kinds);

  Result<BootstrapObserved> seen = ObserveAccess(api, o, user, token_name);
  if (!seen) {
    console.err << "error: reading the access configuration as " << o.login_user << ": " << seen.error().message << "\n";
    return kExitError;
  }

  std::vector<BootstrapStep> steps;
  if (!seen->role) {
    steps.push_back({"create role " + o.role + " with " + JoinPrivileges(privileges), transport::Method::kPost,
                     "/access/roles", Value{{"roleid", o.role}, {"privs", JoinPrivileges(privileges)}}});
  } else if (*seen->role != privileges) {
    steps.push_back({"set the privileges of role " + o.role + " to " + JoinPrivileges(privileges), transport::Method::kPut,
                     transport::ApiPath({"access", "roles", o.role}), Value{{"privs", JoinPrivileges(privileges)}}});
  }
  if (!seen->user) {
    steps.push_back({"create user " + user, transport::Method::kPost, "/access/users",
                     Value{{"userid", user}, {"comment", "hainfra (made by hainfra bootstrap-token)"}}});
  }
  // A new secret is a new token (PVE 9.1's API has no `regenerate`): remove it, create it again; its ACL
  // entries go with it and are granted again below.
  if (seen->token && o.regenerate) {
    steps.push_back({"remove API token " + o.token + " to give it a new secret", transport::Method::kDelete,
                     transport::ApiPath({"access", "users", user, "token", token_name}), Value::object()});
    seen->token = false;
    seen->token_acl = false;
  }
  if (!seen->token) {
    steps.push_back({"create API token " + o.token + " (privilege separation on)", transport::Method::kPost,
                     transport::ApiPath({"access", "users", user, "token", token_name}),
                     Value{{"privsep", 1}, {"comment", "hainfra"}}});
  }
  // A privilege-separated token holds what both its own ACLs and its user's grant: set both.
  if (!seen->user_acl) {
    steps.push_back({"grant role " + o.role + " on / to user " + user, transport::Method::kPut, "/access/acl",
                     Value{{"path", "/"}, {"roles", o.role}, {"users", user}, {"propagate", 1}}});
  }
  if (!seen->token_acl) {
    steps.push_back({"grant role " + o.role + " on / to token " + o.token, transport::Method::kPut, "/access/acl",
                     Value{{"path", "/"}, {"roles", o.role}, {"tokens", o.token}, {"propagate", 1}}});
  }

  std::string kind_list;
  for (const auto& k : kinds) kind_list += (kind_list.empty() ? "" : ", ") + k;
  console.out << "hainfra's token for the kinds this spec uses (" << kind_list << "):\n";
  if (steps.empty()) console.out << "  nothing to do: role, user, token and ACLs are in place\n";
  for (const auto& s : steps) console.out << "  " << (o.dry_run ? "would " : "") << s.what << "\n";
  if (o.dry_run) return kExitOk;

  std::string secret;
  for (const auto& s : steps) {
    transport::Request request;
    request.method = s.method;
    request.path = s.path;
    request.params = s.params;
    Result<Value> answer = api.Send(request);
    if (!answer) {
      console.err << "error: " << s.what << ": " << answer.error().message << "\n";
      return kExitError;
    }
    if (answer->is_object() && answer->contains("value") && (*answer)["value"].is_string()) {
      secret = (*answer)["value"].get<std::string>();
    }
  }
  std::string secret_path = std::filesystem::absolute(o.secret_file).lexically_normal().string();
  if (!secret.empty()) {
    if (auto st = WriteSecretFile(secret_path, secret); !st) {
      console.err << "error: " << st.error().message << " (the token exists now; rerun with --regenerate)\n";
      return kExitError;
    }
    console.out << "The token's secret is in " << secret_path << " (mode 0600); Proxmox shows it only once.\n";
  } else if (!std::filesystem::exists(secret_path)) {
    console.out << "The token existed already; its secret is not in " << secret_path
                << " (Proxmox shows a secret only once): rerun with --regenerate for a new one.\n";
  }
  console.out << "\nPaste into the spec's cluster section:\n"
              << "  api:\n"
              << "    token: " << o.token << "\n"
              << "    secret: ${file:" << secret_path << "}\n";
  return kExitOk;
}

}  // namespace hainfra::cli
