#include "sim/pvesim/user_config.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <sstream>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/guest_config.h"  // EncodeText, DecodeText: PVE::Tools::encode_text / decode_text

namespace pvesim {

namespace {

std::string UserCfgTrim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> UserCfgFields(const std::string& line) {
  std::vector<std::string> f;
  std::string cur;
  for (char c : line) {
    if (c == ':') {
      f.push_back(UserCfgTrim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  f.push_back(UserCfgTrim(cur));
  return f;
}

int64_t UserCfgInt(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(s);
}

bool ValidUserId(const std::string& id) {
  static const std::regex re(R"(^[^\s:/]+@[A-Za-z][A-Za-z0-9\.\-_]+$)");
  return id.size() < 64 && std::regex_match(id, re);
}

// The privilege groups of pve-access-control (root / admin / user / audit) for one PVE major version.
struct PrivGroup {
  std::string name;
  std::vector<std::string> root, admin, user, audit;
};

std::vector<PrivGroup> PrivGroups(int pve) {
  std::vector<std::string> vm_admin = {"VM.Config.Disk", "VM.Config.CPU",     "VM.Config.Memory", "VM.Config.Network",
                                       "VM.Config.HWType", "VM.Config.Options", "VM.Allocate",      "VM.Clone",
                                       "VM.Migrate",       "VM.Snapshot",       "VM.Snapshot.Rollback"};
  std::vector<std::string> vm_user = {"VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console", "VM.Backup",
                                      "VM.PowerMgmt"};
  std::vector<std::string> vm_audit = {"VM.Audit"};
  if (pve >= 9) {
    // PVE 9 dropped VM.Monitor and added the guest agent privileges and VM.Replicate.
    vm_admin.push_back("VM.GuestAgent.Unrestricted");
    vm_admin.push_back("VM.Replicate");
    vm_user.insert(vm_user.end(), {"VM.GuestAgent.FileRead", "VM.GuestAgent.FileSystemMgmt", "VM.GuestAgent.FileWrite"});
    vm_audit.push_back("VM.GuestAgent.Audit");
  } else {
    vm_admin.push_back("VM.Monitor");
  }
  return {
      {"VM", {}, vm_admin, vm_user, vm_audit},
      {"Sys", {"Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"}, {"Sys.Console", "Sys.Syslog"}, {},
       {"Sys.Audit"}},
      {"Datastore", {}, {"Datastore.Allocate", "Datastore.AllocateTemplate"}, {"Datastore.AllocateSpace"},
       {"Datastore.Audit"}},
      {"SDN", {}, {"SDN.Allocate", "SDN.Audit"}, {"SDN.Use"}, {"SDN.Audit"}},
      {"User", {"Realm.Allocate"}, {"User.Modify", "Group.Allocate", "Realm.AllocateUser"}, {}, {}},
      {"Pool", {}, {"Pool.Allocate"}, {"Pool.Audit"}, {"Pool.Audit"}},
      {"Mapping", {}, {"Mapping.Modify"}, {"Mapping.Use"}, {"Mapping.Audit"}},
  };
}

struct RoleTables {
  std::map<std::string, PrivilegeSet> roles;
  PrivilegeSet valid;
};

// create_roles(): PVE<group>Admin, PVE<group>User (groups with user privileges), PVEAdmin, PVEAuditor,
// PVETemplateUser, Administrator (every privilege) and NoAccess (none).
RoleTables MakeRoleTables(int pve) {
  RoleTables t;
  t.valid.insert("Permissions.Modify");
  for (const auto& g : PrivGroups(pve)) {
    for (const auto* list : {&g.root, &g.admin, &g.user, &g.audit}) t.valid.insert(list->begin(), list->end());
    for (const auto* list : {&g.admin, &g.user, &g.audit}) {
      t.roles["PVE" + g.name + "Admin"].insert(list->begin(), list->end());
      t.roles["PVEAdmin"].insert(list->begin(), list->end());
    }
    if (!g.user.empty()) {
      for (const auto* list : {&g.user, &g.audit}) t.roles["PVE" + g.name + "User"].insert(list->begin(), list->end());
    }
    t.roles["PVEAuditor"].insert(g.audit.begin(), g.audit.end());
  }
  t.roles["PVEAdmin"].erase("Mapping.Modify");
  t.roles["PVETemplateUser"] = {"VM.Clone", "VM.Audit"};
  t.roles["NoAccess"] = {};
  t.roles["Administrator"] = t.valid;
  return t;
}

const RoleTables& Tables(int pve) {
  static const RoleTables t8 = MakeRoleTables(8), t9 = MakeRoleTables(9);
  return pve >= 9 ? t9 : t8;
}

std::string JoinSet(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

}  // namespace

bool AclNode::Empty() const {
  auto empty = [](const auto& m) {
    for (const auto& [k, roles] : m)
      if (!roles.empty()) return false;
    return true;
  };
  return empty(users) && empty(groups) && empty(tokens);
}

const PrivilegeSet* UserConfig::Role(const std::string& name, int pve) const {
  const auto& builtin = BuiltinRoles(pve);
  if (auto it = builtin.find(name); it != builtin.end()) return &it->second;
  if (auto it = roles.find(name); it != roles.end()) return &it->second;
  return nullptr;
}

const std::map<std::string, PrivilegeSet>& BuiltinRoles(int pve) { return Tables(pve).roles; }
bool IsBuiltinRole(const std::string& name, int pve) { return BuiltinRoles(pve).contains(name); }
const PrivilegeSet& ValidPrivileges(int pve) { return Tables(pve).valid; }

std::pair<std::string, std::string> SplitTokenId(const std::string& id) {
  auto bang = id.find('!');
  if (bang == std::string::npos) return {id, ""};
  return {id.substr(0, bang), id.substr(bang + 1)};
}

std::string RealmOf(const std::string& userid) {
  auto at = userid.rfind('@');
  return at == std::string::npos ? "" : userid.substr(at + 1);
}

std::string NormalizeAclPath(const std::string& in) {
  if (in.empty()) return "";
  std::string path;
  for (char c : in) {
    if (c == '/' && !path.empty() && path.back() == '/') continue;
    path += c;
  }
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty()) path = "/";
  if (path.front() != '/') path = "/" + path;
  static const std::regex ok(R"(^[A-Za-z0-9\.\-_/]+$)");
  return std::regex_match(path, ok) ? path : "";
}

bool IsValidAclPath(const std::string& path) {
  static const std::regex re(
      R"(^(/|/access|/access/groups|/access/groups/[A-Za-z0-9\.\-_]+|/access/realm|/access/realm/[A-Za-z0-9\.\-_]+)"
      R"(|/nodes|/nodes/[A-Za-z0-9\.\-_]+|/pool|/pool/[A-Za-z0-9\.\-_]+(/[A-Za-z0-9\.\-_]+){0,2})"
      R"(|/sdn|/sdn/(controllers|dns|fabrics|ipams|prefix-lists|route-maps|zones)(/[A-Za-z0-9\.\-_]+)?)"
      R"(|/sdn/zones/[A-Za-z0-9\.\-_]+/[A-Za-z0-9\.\-_]+(/[1-9][0-9]{0,3})?)"
      R"(|/storage|/storage/[A-Za-z0-9\.\-_]+|/vms|/vms/[1-9][0-9]{2,})"
      R"(|/mapping|/mapping/[A-Za-z0-9\.\-_]+|/mapping/[A-Za-z0-9\.\-_]+/[A-Za-z0-9\.\-_]+)$)");
  return std::regex_match(path, re);
}

UserConfig ParseUserConfig(const std::string& text) {
  UserConfig cfg;
  struct PendingAcl {
    bool propagate;
    std::string path, members, roles;
  };
  std::vector<PendingAcl> acls;
  std::vector<std::vector<std::string>> group_lines, token_lines;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    std::string line = UserCfgTrim(raw);
    if (line.empty()) continue;
    auto f = UserCfgFields(line);
    f.resize(std::max<size_t>(f.size(), 10));
    const std::string& type = f[0];
    if (type == "user") {
      if (!ValidUserId(f[1])) continue;
      UserEntry u;
      u.enable = f[2] == "1";
      u.expire = UserCfgInt(f[3]);
      u.firstname = DecodeText(f[4]);
      u.lastname = DecodeText(f[5]);
      u.email = f[6];
      u.comment = DecodeText(f[7]);
      u.keys = f[8];
      cfg.users[f[1]] = std::move(u);
    } else if (type == "group") {
      group_lines.push_back(f);
    } else if (type == "token") {
      token_lines.push_back(f);
    } else if (type == "role") {
      auto& privs = cfg.roles[f[1]];
      for (const auto& p : SplitList(f[2])) privs.insert(p);
    } else if (type == "acl") {
      acls.push_back({f[1] == "1", f[2], f[3], f[4]});
    } else if (type == "pool") {
      cfg.pool_lines.push_back(line);
      auto& pool = cfg.pools[f[1]];
      for (const auto& v : SplitList(f[3])) pool.vms.insert(v);
      for (const auto& s : SplitList(f[4])) pool.storage.insert(s);
    }
  }
  // Groups and tokens refer to users, ACLs to all of them: resolve them after every user is known.
  for (const auto& f : group_lines) {
    auto& g = cfg.groups[f[1]];
    g.comment = DecodeText(f[3]);
    for (const auto& u : SplitList(f[2])) {
      g.users.insert(u);
      if (auto it = cfg.users.find(u); it != cfg.users.end()) it->second.groups.insert(f[1]);
    }
  }
  for (const auto& f : token_lines) {
    auto [user, token] = SplitTokenId(f[1]);
    auto it = cfg.users.find(user);
    if (token.empty() || it == cfg.users.end()) continue;
    it->second.tokens[token] = TokenEntry{UserCfgInt(f[2]), f[3] == "1", DecodeText(f[4])};
  }
  for (const auto& a : acls) {
    std::string path = NormalizeAclPath(a.path);
    if (path.empty()) continue;
    for (const auto& role : SplitList(a.roles)) {
      if (!cfg.Role(role, 9) && !cfg.Role(role, 8)) continue;
      for (const auto& m : SplitList(a.members)) {
        AclNode& node = cfg.acl[path];
        if (m.starts_with("@")) {
          node.groups[m.substr(1)][role] = a.propagate;
        } else if (m.find('!') != std::string::npos) {
          auto [user, token] = SplitTokenId(m);
          auto it = cfg.users.find(user);
          if (it != cfg.users.end() && it->second.tokens.contains(token)) node.tokens[m][role] = a.propagate;
        } else {
          node.users[m][role] = a.propagate;
        }
      }
    }
  }
  if (!cfg.users.contains("root@pam")) cfg.users["root@pam"] = UserEntry{};
  return cfg;
}

std::string WriteUserConfig(const UserConfig& cfg) {
  std::string out;
  for (const auto& [id, u] : cfg.users) {
    out += "user:" + id + ":" + (u.enable ? "1" : "0") + ":" + std::to_string(u.expire) + ":" +
           EncodeText(u.firstname) + ":" + EncodeText(u.lastname) + ":" + u.email + ":" +
           EncodeText(u.comment) + ":" + u.keys + ":\n";
    for (const auto& [tid, t] : u.tokens) {
      out += "token:" + id + "!" + tid + ":" + std::to_string(t.expire) + ":" + (t.privsep ? "1" : "0") + ":" +
             EncodeText(t.comment) + ":\n";
    }
  }
  out += "\n";
  for (const auto& [id, g] : cfg.groups) out += "group:" + id + ":" + JoinSet(g.users) + ":" + EncodeText(g.comment) + ":\n";
  out += "\n";
  for (const auto& line : cfg.pool_lines) out += line + "\n";
  out += "\n";
  for (const auto& [id, privs] : cfg.roles) {
    if (IsBuiltinRole(id, 9) || IsBuiltinRole(id, 8)) continue;
    out += "role:" + id + ":" + JoinSet(privs) + ":\n";
  }
  out += "\n";
  // One line per (propagate, role list) with every member holding exactly that role list; root@pam's
  // entries are not saved (it is always Administrator).
  for (const auto& [path, node] : cfg.acl) {
    std::map<bool, std::map<std::string, std::set<std::string>>> lines;
    auto collect = [&](const auto& members, const std::string& prefix, const std::string& exclude) {
      for (const auto& [member, roles] : members) {
        if (member == exclude) continue;
        std::set<std::string> l0, l1;
        for (const auto& [role, propagate] : roles) (propagate ? l1 : l0).insert(role);
        if (!l0.empty()) lines[false][JoinSet(l0)].insert(prefix + member);
        if (!l1.empty()) lines[true][JoinSet(l1)].insert(prefix + member);
      }
    };
    collect(node.groups, "@", "");
    collect(node.users, "", "root@pam");
    collect(node.tokens, "", "");
    for (bool propagate : {false, true}) {
      for (const auto& [rolelist, members] : lines[propagate]) {
        out += std::string("acl:") + (propagate ? "1" : "0") + ":" + path + ":" + JoinSet(members) + ":" + rolelist + ":\n";
      }
    }
  }
  return out;
}

}  // namespace pvesim
