#include "sim/pvesim/access_store.h"
#include "sim/pvesim/privilege_check.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <mutex>
#include <ctime>
#include <sstream>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/permissions.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

namespace {

std::string AccessHex(const unsigned char* data, size_t len) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", data[i]);
    out += buf;
  }
  return out;
}

std::string AccessSha256(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  return AccessHex(md, len);
}

// "key value" / "key:value:" lines of the priv files.
std::map<std::string, std::string> ReadPairs(Simulator& sim, const std::string& path, char sep) {
  std::map<std::string, std::string> out;
  std::istringstream in(sim.fs().Read(path).value_or(""));
  for (std::string line; std::getline(in, line);) {
    auto pos = line.find(sep);
    if (pos == std::string::npos || pos == 0) continue;
    std::string value = line.substr(pos + 1);
    if (sep == ':' && value.ends_with(":")) value.pop_back();
    out[line.substr(0, pos)] = value;
  }
  return out;
}

// What the handlers of some `user => 'all'` methods check in their code (qemu-server's create_vm,
// pve-container's create_vm, pve-storage's content deletion), in the schema's check notation.
const std::map<std::string, nlohmann::json>& HandlerChecks() {
  static const std::map<std::string, nlohmann::json> checks = [] {
    using json = nlohmann::json;
    // check_vm_perm: VM.Allocate on the pool named (quietly), else on /vms/{vmid} (see CheckRequestPermissions).
    json create_guest = json::array({"perm", "/vms/{vmid}", json::array({"VM.Allocate"})});
    return std::map<std::string, json>{
        {"POST /nodes/{node}/qemu", {{"check", create_guest}}},
        {"POST /nodes/{node}/lxc", {{"check", create_guest}}},
        {"DELETE /nodes/{node}/storage/{storage}/content/{volume}",
         {{"check", json::array({"perm", "/storage/{storage}", json::array({"Datastore.Allocate"})})}}},
    };
  }();
  return checks;
}

}  // namespace

UserConfig LoadUserConfig(Simulator& sim) {
  // Every request reads user.cfg (twice): keep the last parse, as pve-access-control keeps its cfs cache.
  static std::mutex cache_mu;
  static std::string cached_text;
  static UserConfig cached;
  static bool primed = false;
  std::string text = sim.fs().Read("user.cfg").value_or("");
  std::lock_guard<std::mutex> lock(cache_mu);
  if (!primed || text != cached_text) {
    cached = ParseUserConfig(text);
    cached_text = std::move(text);
    primed = true;
  }
  return cached;
}

Status SaveUserConfig(Simulator& sim, const UserConfig& cfg) { return sim.fs().Write("user.cfg", WriteUserConfig(cfg)); }

std::map<std::string, std::string> ReadTokenSecrets(Simulator& sim) { return ReadPairs(sim, "priv/token.cfg", ' '); }

Status WriteTokenSecrets(Simulator& sim, const std::map<std::string, std::string>& secrets) {
  std::string out;
  for (const auto& [id, secret] : secrets) out += id + " " + secret + "\n";
  return sim.fs().Write("priv/token.cfg", out);
}

std::map<std::string, std::string> ReadShadow(Simulator& sim) { return ReadPairs(sim, "priv/shadow.cfg", ':'); }

Status WriteShadow(Simulator& sim, const std::map<std::string, std::string>& shadow) {
  std::string out;
  for (const auto& [user, hash] : shadow) out += user + ":" + hash + ":\n";
  return sim.fs().Write("priv/shadow.cfg", out);
}

std::string HashPassword(const std::string& password) {
  unsigned char salt[8];
  RAND_bytes(salt, sizeof salt);
  std::string s = AccessHex(salt, sizeof salt);
  return "$5$" + s + "$" + AccessSha256(s + password);
}

bool PasswordMatches(const std::string& password, const std::string& hash) {
  if (!hash.starts_with("$5$")) return false;
  auto dollar = hash.find('$', 3);
  if (dollar == std::string::npos) return false;
  std::string salt = hash.substr(3, dollar - 3);
  return AccessSha256(salt + password) == hash.substr(dollar + 1);
}

Status CheckCallerEnabled(Simulator& sim, const Caller& caller) {
  if (caller.user.empty()) return Ok();
  auto bare = [](const std::string& msg) { return Fail(ApiError{401, msg + "\n", {}, true}); };
  UserConfig cfg = LoadUserConfig(sim);
  auto u = cfg.users.find(caller.user);
  if (u == cfg.users.end() || !u->second.enable) return bare("Authentication failed!");
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (u->second.expire && u->second.expire < now) return bare("Authentication failed!");
  if (caller.via_token()) {
    auto t = u->second.tokens.find(caller.tokenid);
    if (t == u->second.tokens.end()) return bare("Authentication failed!");
    if (t->second.expire && t->second.expire < now) return bare("Authentication failed!");
  }
  return Ok();
}

namespace {

// pve-manager's API2::Pool update: besides Pool.Allocate on the pool, adding or removing a member needs the
// right to modify permissions on it (`check_perm_modify` on /vms/{vmid} or /storage/{storage}).
Status CheckPoolMembersModify(PermissionEnv& env, const std::string& method, const std::string& path_template,
                              const std::string& userid, const nlohmann::json& params) {
  if (method != "PUT" || (path_template != "/pools" && path_template != "/pools/{poolid}")) return Ok();
  auto members = [&](const char* key, const std::string& prefix) -> Status {
    if (!params.contains(key) || !params[key].is_string()) return Ok();
    for (const std::string& m : SplitList(params[key].get<std::string>()))
      if (auto st = env.CheckPermModify(userid, prefix + m); !st) return st;
    return Ok();
  };
  if (auto st = members("vms", "/vms/"); !st) return st;
  return members("storage", "/storage/");
}

}  // namespace

Status CheckRequestPermissions(Simulator& sim, const std::string& method, const std::string& path_template,
                               const nlohmann::json* permissions, const Caller& caller, const nlohmann::json& params) {
  std::string userid = caller.Userid();
  if (userid == "root@pam") return Ok();
  UserConfig cfg = LoadUserConfig(sim);
  PermissionEnv env(cfg, sim.pve());
  if (auto st = env.CheckApi(permissions, userid, params); !st) return st;
  if (auto st = CheckPoolMembersModify(env, method, path_template, userid, params); !st) return st;
  auto code = HandlerChecks().find(method + " " + path_template);
  if (code == HandlerChecks().end()) return Ok();
  if (params.contains("pool") && params["pool"].is_string() &&
      env.Has(userid, "/pool/" + params["pool"].get<std::string>(), {"VM.Allocate"}, false)) {
    return Ok();
  }
  return env.CheckApi(&code->second, userid, params);
}

Status CheckCallerPrivileges(Simulator& sim, const Caller& caller, const std::string& path,
                             const std::vector<std::string>& privs) {
  const std::string userid = caller.Userid();
  if (userid == "root@pam") return Ok();
  UserConfig cfg = LoadUserConfig(sim);
  PermissionEnv env(cfg, sim.pve());
  return env.Check(userid, path, privs, false);
}

}  // namespace pvesim
