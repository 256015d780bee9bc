// /cluster/notifications: proxmox-notify's targets (sendmail, smtp, gotify, webhook) and matchers in
// notifications.cfg, their secrets (smtp password, gotify token, webhook secrets) in priv/notifications.cfg.
// The built-in `mail-to-root` target and `default-matcher` exist without being written; changing one
// writes it (origin modified-builtin), deleting a changed one restores it. Secrets are never answered: a
// webhook's secrets are listed by name only.
#include <string>
#include <vector>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/router.h"

namespace pvesim {

namespace {

const std::vector<std::string>& NotifyTypes() {
  static const std::vector<std::string> kTypes = {"sendmail", "smtp", "gotify", "webhook"};
  return kTypes;
}

// Options by type; the secrets go to the private file.
const SectionSchema& NotifySchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    auto common = [](std::map<std::string, SectionOption> o) {
      o["comment"] = Opt();
      o["disable"] = Opt("boolean");
      o["origin"] = Opt();
      return o;
    };
    std::map<std::string, SectionOption> mail = {{"mailto", Opt("array")}, {"mailto-user", Opt("array")},
                                                 {"author", Opt()}, {"from-address", Opt()}};
    s.types["sendmail"] = common(mail);
    auto smtp = mail;
    smtp["server"] = Req();
    smtp["port"] = Opt("integer");
    smtp["mode"] = Opt();
    smtp["username"] = Opt();
    s.types["smtp"] = common(smtp);
    s.types["gotify"] = common({{"server", Req()}});
    s.types["webhook"] = common({{"url", Req()}, {"method", Req()}, {"body", Opt()}, {"header", Opt("array")}});
    s.types["matcher"] = common({{"match-severity", Opt("array")}, {"match-field", Opt("array")},
                                 {"match-calendar", Opt("array")}, {"mode", Opt()}, {"invert-match", Opt("boolean")},
                                 {"target", Opt("array")}});
    return s;
  }();
  return schema;
}

const SectionSchema& NotifyPrivSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    s.types["smtp"] = {{"password", Opt()}};
    s.types["gotify"] = {{"token", Opt()}};
    s.types["webhook"] = {{"secret", Opt("array")}};
    return s;
  }();
  return schema;
}

// The entries proxmox-notify compiles in.
std::vector<Section> NotifyBuiltins() {
  return {Section{"sendmail", "mail-to-root",
                  {{"mailto-user", json::array({"root@pam"})}, {"comment", "Send mails to root@pam's email address"}}},
          Section{"matcher", "default-matcher",
                  {{"target", json::array({"mail-to-root"})}, {"comment", "Route all notifications to mail-to-root"}}}};
}

bool IsNotifyBuiltin(const std::string& name) { return name == "mail-to-root" || name == "default-matcher"; }

struct NotifyConfig {
  SectionFile pub;
  SectionFile priv;
};

NotifyConfig ReadNotify(Simulator& sim) {
  return {ReadSections(sim, "notifications.cfg", NotifySchema()),
          ReadSections(sim, "priv/notifications.cfg", NotifyPrivSchema())};
}

Status WriteNotify(Simulator& sim, const NotifyConfig& cfg) {
  if (auto st = WriteSections(sim, "notifications.cfg", cfg.pub, NotifySchema()); !st) return st;
  return WriteSections(sim, "priv/notifications.cfg", cfg.priv, NotifyPrivSchema());
}

// Every entry as proxmox-notify sees it: the written ones, then the built-ins not written.
std::vector<Section> NotifyEntries(const NotifyConfig& cfg) {
  std::vector<Section> out = cfg.pub.sections;
  for (Section& s : out) {
    if (IsNotifyBuiltin(s.id)) s.values["origin"] = "modified-builtin";
  }
  for (const Section& b : NotifyBuiltins()) {
    if (!cfg.pub.Find(b.id)) {
      Section s = b;
      s.values["origin"] = "builtin";
      out.push_back(s);
    }
  }
  return out;
}

json NotifyJson(const Section& s, const NotifyConfig& cfg) {
  json o = s.values;
  o["name"] = s.id;
  if (!o.contains("origin")) o["origin"] = "user-created";
  if (s.type == "webhook") {
    // Only the names of the secrets: `name=<name>`.
    if (const Section* p = cfg.priv.Find(s.id); p && p->values.contains("secret")) {
      json names = json::array();
      for (const auto& entry : p->values["secret"]) {
        std::string text = ScalarText(entry);
        names.push_back(text.substr(0, text.find(',')));
      }
      o["secret"] = names;
    }
  }
  return o;
}

// The `name=..,value=..` entries of a webhook's secret list by name (an entry without a value keeps the old one).
json MergeSecrets(const json& given, const json& old) {
  json out = json::array();
  for (const auto& entry : given) {
    std::string text = ScalarText(entry);
    if (text.find("value=") != std::string::npos) {
      out.push_back(text);
      continue;
    }
    for (const auto& o : old) {
      std::string previous = ScalarText(o);
      if (previous.substr(0, previous.find(',')) == text.substr(0, text.find(','))) out.push_back(previous);
    }
  }
  return out;
}

// Copies the request's settings of `type` into the public and private entries.
void CopyNotifyOptions(const Params& p, const std::string& type, Section& pub, Section& priv) {
  const auto& opts = NotifySchema().types.at(type);
  for (const auto& key : p.Keys()) {
    if (key == "origin") continue;
    if (auto it = opts.find(key); it != opts.end()) {
      const json& v = p.Raw()[key];
      if (it->second.type == "array") pub.values[key] = v.is_array() ? v : json::array({v});
      else if (it->second.type == "boolean") pub.values[key] = p.Bool(key) ? 1 : 0;
      else if (it->second.type == "integer") pub.values[key] = std::stoll(ScalarText(v));
      else pub.values[key] = ScalarText(v);
    }
  }
  if (type == "smtp" && p.Has("password")) priv.values["password"] = p.StrOr("password", "");
  if (type == "gotify" && p.Has("token")) priv.values["token"] = p.StrOr("token", "");
  if (type == "webhook" && p.Has("secret")) {
    const json& given = p.Raw()["secret"];
    priv.values["secret"] = MergeSecrets(given.is_array() ? given : json::array({given}),
                                         priv.values.value("secret", json::array()));
  }
}

// A matcher may only name existing targets (proxmox-notify's ensure_endpoints_exist).
Status CheckMatcherTargets(const Section& matcher, const NotifyConfig& cfg) {
  const std::vector<Section> entries = NotifyEntries(cfg);
  for (const auto& t : matcher.values.value("target", json::array())) {
    const std::string target = ScalarText(t);
    bool found = false;
    for (const Section& e : entries) found = found || (e.id == target && e.type != "matcher");
    if (!found) return Die("endpoint '" + target + "' does not exist");
  }
  return Ok();
}

Status CheckNotifyEntry(const Section& s, const NotifyConfig& cfg) {
  if (s.type == "matcher") return CheckMatcherTargets(s, cfg);
  if ((s.type == "sendmail" || s.type == "smtp") && s.values.value("mailto", json::array()).empty() &&
      s.values.value("mailto-user", json::array()).empty()) {
    return Die("must at least provide one recipient (either in mailto or in mailto-user)");
  }
  return Ok();
}

Result<Reply> CreateNotify(Call& c, const std::string& type) {
  Params p = c.params;
  const std::string name = p.Take("name").value_or("");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NotifyConfig cfg = ReadNotify(c.sim);
  for (const Section& e : NotifyEntries(cfg)) {
    if (e.id == name) return Die("cannot create '" + name + "': name already used");
  }
  Section pub{type, name, json::object()};
  Section priv{type, name, json::object()};
  CopyNotifyOptions(p, type, pub, priv);
  if (auto st = CheckNotifyEntry(pub, cfg); !st) return Fail(st.error());
  cfg.pub.sections.push_back(pub);
  if (!priv.values.empty()) cfg.priv.sections.push_back(priv);
  if (auto st = WriteNotify(c.sim, cfg); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateNotify(Call& c, const std::string& type) {
  Params p = c.params;
  const std::string name = p.Take("name").value_or("");
  const std::optional<std::string> digest = p.Take("digest");
  json del = p.Raw().value("delete", json::array());
  p.Erase("delete");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NotifyConfig cfg = ReadNotify(c.sim);
  if (auto st = AssertDigest(digest, cfg.pub.digest); !st) return Fail(st.error());
  const std::vector<Section> entries = NotifyEntries(cfg);
  const Section* current = nullptr;
  for (const Section& e : entries) current = e.id == name && e.type == type ? &e : current;
  if (!current) return Die("'" + name + "' does not exist");
  if (!cfg.pub.Find(name)) cfg.pub.sections.push_back(Section{type, name, current->values});
  Section& pub = *cfg.pub.Find(name);
  pub.values.erase("origin");
  if (!cfg.priv.Find(name)) cfg.priv.sections.push_back(Section{type, name, json::object()});
  Section& priv = *cfg.priv.Find(name);
  const auto& opts = NotifySchema().types.at(type);
  for (const auto& d : del.is_array() ? del : json::array({del})) {
    const std::string key = ScalarText(d);
    const auto priv_opts = NotifyPrivSchema().types.find(type);
    const bool secret = priv_opts != NotifyPrivSchema().types.end() && priv_opts->second.contains(key);
    if (!opts.contains(key) && !secret) {
      return ParamError("delete", "unknown option '" + key + "'");
    }
    pub.values.erase(key);
    priv.values.erase(key);
  }
  CopyNotifyOptions(p, type, pub, priv);
  if (auto st = CheckNotifyEntry(pub, cfg); !st) return Fail(st.error());
  if (priv.values.empty()) cfg.priv.Remove(name);
  if (auto st = WriteNotify(c.sim, cfg); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> DeleteNotify(Call& c, const std::string& type) {
  const std::string name = c.params.StrOr("name", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NotifyConfig cfg = ReadNotify(c.sim);
  const Section* written = cfg.pub.Find(name);
  if (!written || written->type != type) {
    if (IsNotifyBuiltin(name)) return Die("cannot delete built-in '" + name + "'");
    return Die("'" + name + "' does not exist");
  }
  if (type != "matcher") {
    for (const Section& e : NotifyEntries(cfg)) {
      if (e.type != "matcher") continue;
      for (const auto& t : e.values.value("target", json::array()))
        if (ScalarText(t) == name) return Die("cannot delete '" + name + "', referenced by: " + e.id);
    }
  }
  cfg.pub.Remove(name);
  cfg.priv.Remove(name);
  if (auto st = WriteNotify(c.sim, cfg); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> ListNotify(Call& c, const std::string& type) {
  NotifyConfig cfg = ReadNotify(c.sim);
  json out = json::array();
  for (const Section& s : NotifyEntries(cfg))
    if (s.type == type) out.push_back(NotifyJson(s, cfg));
  return Reply(out);
}

Result<Reply> ShowNotify(Call& c, const std::string& type) {
  const std::string name = c.params.StrOr("name", "");
  NotifyConfig cfg = ReadNotify(c.sim);
  for (const Section& s : NotifyEntries(cfg)) {
    if (s.id != name || s.type != type) continue;
    json o = NotifyJson(s, cfg);
    o["digest"] = cfg.pub.digest;
    return Reply(o);
  }
  return Die("'" + name + "' does not exist");
}

void AddNotifyCollection(RouteTable& t, const std::string& base, const std::string& type) {
  t.Add("GET", base, kNoFlags, [type](Call& c) { return ListNotify(c, type); });
  t.Add("POST", base, kNoFlags, [type](Call& c) { return CreateNotify(c, type); });
  t.Add("GET", base + "/{name}", kNoFlags, [type](Call& c) { return ShowNotify(c, type); });
  t.Add("PUT", base + "/{name}", kNoFlags, [type](Call& c) { return UpdateNotify(c, type); });
  t.Add("DELETE", base + "/{name}", kNoFlags, [type](Call& c) { return DeleteNotify(c, type); });
}

}  // namespace

void AddNotificationRoutes(RouteTable& t) {
  for (const std::string& type : NotifyTypes()) AddNotifyCollection(t, "/cluster/notifications/endpoints/" + type, type);
  AddNotifyCollection(t, "/cluster/notifications/matchers", "matcher");
  t.Add("GET", "/cluster/notifications/endpoints", kNoFlags, [](Call& c) -> Result<Reply> {
    NotifyConfig cfg = ReadNotify(c.sim);
    json out = json::array();
    for (const Section& s : NotifyEntries(cfg)) {
      if (s.type == "matcher") continue;
      json o = {{"name", s.id}, {"type", s.type}, {"origin", s.values.value("origin", "user-created")},
                {"disable", s.values.value("disable", 0)}};
      if (s.values.contains("comment")) o["comment"] = s.values["comment"];
      out.push_back(o);
    }
    return Reply(out);
  });
}

}  // namespace pvesim
