// /cluster/acme: ACME accounts and challenge plugins as pve-manager's API2::ACMEAccount and API2::ACMEPlugin
// keep them. An account is a JSON file priv/acme/<name> (account, directory_url, key, location, tos);
// registering, updating and deactivating run as tasks (acmeregister, acmeupdate, acmedeactivate). Plugins are
// the section config priv/acme/plugins.cfg (dns, standalone); a standalone plugin 'standalone' is always
// there, as PVE::ACME::Challenge's parser adds it. A DNS plugin's data is base64 in the request, the file and
// the answer. Accounts are root@pam's alone (their methods have no permissions: not even a token of root).
// pvesim is the CA: it knows the Let's Encrypt directories and their terms of service.
#include <cctype>
#include <string>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/router.h"
#include "sim/pvesim/tls_cert.h"

namespace pvesim {

namespace {

constexpr const char* kAcmeProduction = "https://acme-v02.api.letsencrypt.org/directory";
constexpr const char* kAcmeStaging = "https://acme-staging-v02.api.letsencrypt.org/directory";
constexpr const char* kAcmeTos = "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf";

// The terms of service a directory announces; empty for a CA pvesim does not know (as one without ToS).
std::string AcmeTosOf(const std::string& directory) {
  return directory == kAcmeProduction || directory == kAcmeStaging ? kAcmeTos : "";
}

std::string AcmeAccountPath(const std::string& name) { return "priv/acme/" + name; }

const SectionSchema& AcmePluginSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    std::map<std::string, SectionOption> common = {{"disable", Opt("boolean")}, {"nodes", Opt()}};
    auto dns = common;
    dns["api"] = Req();
    dns["data"] = Opt();
    dns["validation-delay"] = Opt("integer");
    s.types["dns"] = dns;
    s.types["standalone"] = common;
    return s;
  }();
  return schema;
}

SectionFile ReadAcmePlugins(Simulator& sim) {
  SectionFile f = ReadSections(sim, "priv/acme/plugins.cfg", AcmePluginSchema());
  const Section* standalone = f.Find("standalone");
  if (!standalone || standalone->type != "standalone") {
    f.Remove("standalone");
    f.sections.push_back(Section{"standalone", "standalone", json::object()});
  }
  return f;
}

json AcmePluginForApi(const Section& s, const std::string& digest) {
  json o = s.values;
  o["plugin"] = s.id;
  o["type"] = s.type;
  o["digest"] = digest;
  return o;
}

bool AcmeIsBase64(const std::string& v) {
  size_t pad = 0;
  for (char ch : v) {
    if (ch == '=') { ++pad; continue; }
    if (pad || !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/')) return false;
  }
  return v.size() % 4 == 0 && pad <= 2;
}

// Copies the request's options of the plugin's type; another type's option is refused.
Status CopyAcmePluginOptions(const Params& p, Section& s) {
  const auto& opts = AcmePluginSchema().types.at(s.type);
  for (const auto& key : p.Keys()) {
    auto it = opts.find(key);
    if (it == opts.end()) return ParamError(key, "unexpected property '" + key + "'");
    const std::string v = p.StrOr(key, "");
    if (key == "data" && !AcmeIsBase64(v)) return ParamError("data", "value is not base64 encoded");
    if (it->second.type == "boolean") s.values[key] = p.Bool(key) ? 1 : 0;
    else if (it->second.type == "integer") s.values[key] = std::stoll(v);
    else s.values[key] = v;
  }
  return Ok();
}

Result<Reply> CreateAcmePlugin(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  const std::string type = p.Take("type").value_or("");
  if (!AcmePluginSchema().types.contains(type))
    return ParamError("type", "value '" + type + "' does not have a value in the enumeration 'dns, standalone'");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile plugins = ReadAcmePlugins(c.sim);
  if (plugins.Find(id)) return Die("ACME plugin ID '" + id + "' already exists");
  Section s{type, id, json::object()};
  if (auto st = CopyAcmePluginOptions(p, s); !st) return Fail(st.error());
  if (type == "dns" && !s.values.contains("api")) return ParamError("api", "property is missing and it is not optional");
  plugins.sections.push_back(s);
  if (auto st = WriteSections(c.sim, "priv/acme/plugins.cfg", plugins, AcmePluginSchema()); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateAcmePlugin(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  const std::optional<std::string> digest = p.Take("digest");
  const std::string del = p.Take("delete").value_or("");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile plugins = ReadAcmePlugins(c.sim);
  if (auto st = AssertDigest(digest, plugins.digest); !st) return Fail(st.error());
  Section* s = plugins.Find(id);
  if (!s) return Die("ACME plugin '" + id + "' not defined");
  for (const auto& k : SplitList(del)) {
    const auto& opts = AcmePluginSchema().types.at(s->type);
    if (!opts.contains(k)) return ParamError("delete", "unexpected property '" + k + "'");
    if (opts.at(k).required) return ParamError("delete", "unable to delete required option '" + k + "'");
    s->values.erase(k);
  }
  if (auto st = CopyAcmePluginOptions(p, *s); !st) return Fail(st.error());
  if (auto st = WriteSections(c.sim, "priv/acme/plugins.cfg", plugins, AcmePluginSchema()); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<json> ReadAcmeAccount(Simulator& sim, const std::string& name) {
  auto raw = sim.fs().Read(AcmeAccountPath(name));
  if (!raw) return Die("ACME account config file '" + name + "' does not exist.");
  json a = json::parse(*raw, nullptr, false);
  if (a.is_discarded()) return Die("ACME account config file '" + name + "' is not valid JSON");
  return a;
}

std::vector<std::string> AcmeContacts(const std::string& list) {
  std::vector<std::string> out;
  for (const auto& mail : SplitList(list)) out.push_back("mailto:" + mail);
  return out;
}

Result<Reply> RegisterAcmeAccount(Call& c) {
  const std::string name = c.params.StrOr("name", "default");
  const std::string directory = c.params.StrOr("directory", kAcmeProduction);
  const std::string contact = c.params.StrOr("contact", "");
  const std::optional<std::string> tos = c.params.Str("tos_url");
  if (c.sim.fs().Read(AcmeAccountPath(name))) return Die("ACME account config file '" + name + "' already exists.");
  Simulator& sim = c.sim;
  std::string upid = sim.tasks().Start(c.local, "acmeregister", name, c.caller.Userid(),
                                       [&sim, name, directory, contact, tos](TaskContext& ctx) -> Status {
    ctx.Log("Registering new ACME account..");
    if (auto st = ctx.Work(); !st) return st;
    const std::string required_tos = AcmeTosOf(directory);
    if (!required_tos.empty() && tos.value_or("") != required_tos)
      return Die("Registration failed: Error: POST to " + directory.substr(0, directory.rfind('/')) +
                 "/acme/new-acct {\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\"must agree to "
                 "terms of service\",\"status\":400}");
    auto key = IssueCertificate({"acme-account." + name}, "pvesim ACME account key", 1);
    if (!key) return Fail(key.error());
    const std::string location = directory.substr(0, directory.rfind('/')) + "/acme/acct/" +
                                 Sha1Hex(name + directory + std::to_string(NowMs())).substr(0, 12);
    json account = {{"contact", AcmeContacts(contact)}, {"status", "valid"}, {"createdAt", Now()}};
    json file = {{"account", account}, {"directory_url", directory}, {"key", key->second}, {"location", location}};
    if (tos) file["tos"] = *tos;
    std::lock_guard<std::mutex> lock(sim.mu());
    if (sim.fs().Read(AcmeAccountPath(name))) return Die("ACME account config file '" + name + "' already exists.");
    if (auto st = sim.fs().Write(AcmeAccountPath(name), file.dump(4)); !st) return st;
    ctx.Log("Registration successful, account URL: '" + location + "'");
    return Ok();
  });
  return Reply(upid);
}

Result<Reply> UpdateAcmeAccount(Call& c) {
  const std::string name = c.params.StrOr("name", "default");
  if (auto a = ReadAcmeAccount(c.sim, name); !a) return Fail(a.error());
  const std::optional<std::string> contact = c.params.Str("contact");
  Simulator& sim = c.sim;
  std::string upid = sim.tasks().Start(c.local, "acmeupdate", name, c.caller.Userid(),
                                       [&sim, name, contact](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    auto a = ReadAcmeAccount(sim, name);
    if (!a) return Fail(a.error());
    if (contact) (*a)["account"]["contact"] = AcmeContacts(*contact);
    return sim.fs().Write(AcmeAccountPath(name), a->dump(4));
  });
  return Reply(upid);
}

Result<Reply> DeactivateAcmeAccount(Call& c) {
  const std::string name = c.params.StrOr("name", "default");
  if (auto a = ReadAcmeAccount(c.sim, name); !a) return Fail(a.error());
  Simulator& sim = c.sim;
  std::string upid = sim.tasks().Start(c.local, "acmedeactivate", name, c.caller.Userid(),
                                       [&sim, name](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    return sim.fs().Remove(AcmeAccountPath(name));
  });
  return Reply(upid);
}

}  // namespace

bool AcmePluginExists(Simulator& sim, const std::string& id) { return ReadAcmePlugins(sim).Find(id) != nullptr; }

void AddAcmeRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/acme", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"account", "tos", "meta", "directories", "plugins", "challenge-schema"}));
  });
  t.Add("GET", "/cluster/acme/directories", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(json::array({{{"name", "Let's Encrypt V2"}, {"url", kAcmeProduction}},
                              {{"name", "Let's Encrypt V2 Staging"}, {"url", kAcmeStaging}}}));
  });
  t.Add("GET", "/cluster/acme/tos", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string tos = AcmeTosOf(c.params.StrOr("directory", kAcmeProduction));
    return Reply(tos.empty() ? json(nullptr) : json(tos));
  });
  t.Add("GET", "/cluster/acme/meta", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string tos = AcmeTosOf(c.params.StrOr("directory", kAcmeProduction));
    json meta = json::object();
    if (!tos.empty()) {
      meta = {{"termsOfService", tos}, {"website", "https://letsencrypt.org"},
              {"caaIdentities", json::array({"letsencrypt.org"})}};
    }
    return Reply(meta);
  });
  t.Add("GET", "/cluster/acme/account", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& name : c.sim.fs().List("priv/acme")) {
      if (name == "plugins.cfg" || name.find('/') != std::string::npos) continue;
      out.push_back({{"name", name}});
    }
    return Reply(out);
  });
  t.Add("POST", "/cluster/acme/account", kRootOnly, RegisterAcmeAccount);
  t.Add("GET", "/cluster/acme/account/{name}", kRootOnly, [](Call& c) -> Result<Reply> {
    auto a = ReadAcmeAccount(c.sim, c.params.StrOr("name", "default"));
    if (!a) return Fail(a.error());
    json out = {{"account", a->value("account", json::object())}, {"directory", a->value("directory_url", "")},
                {"location", a->value("location", "")}};
    if (a->contains("tos")) out["tos"] = (*a)["tos"];
    return Reply(out);
  });
  t.Add("PUT", "/cluster/acme/account/{name}", kRootOnly, UpdateAcmeAccount);
  t.Add("DELETE", "/cluster/acme/account/{name}", kRootOnly, DeactivateAcmeAccount);
  t.Add("GET", "/cluster/acme/plugins", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string type = c.params.StrOr("type", "");
    SectionFile plugins = ReadAcmePlugins(c.sim);
    json out = json::array();
    for (const auto& s : plugins.sections)
      if (type.empty() || s.type == type) out.push_back(AcmePluginForApi(s, plugins.digest));
    return Reply(out);
  });
  t.Add("POST", "/cluster/acme/plugins", kNoFlags, CreateAcmePlugin);
  t.Add("GET", "/cluster/acme/plugins/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    SectionFile plugins = ReadAcmePlugins(c.sim);
    const Section* s = plugins.Find(id);
    if (!s) return Die("ACME plugin '" + id + "' not defined");
    return Reply(AcmePluginForApi(*s, plugins.digest));
  });
  t.Add("PUT", "/cluster/acme/plugins/{id}", kNoFlags, UpdateAcmePlugin);
  t.Add("DELETE", "/cluster/acme/plugins/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile plugins = ReadAcmePlugins(c.sim);
    plugins.Remove(id);  // delete_plugin deletes whether or not the id exists
    if (auto st = WriteSections(c.sim, "priv/acme/plugins.cfg", plugins, AcmePluginSchema()); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace pvesim
