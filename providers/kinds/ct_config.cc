#include "providers/kinds/ct_config.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "engine/plan/size.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_format.h"
#include "providers/kinds/vm_params.h"
#include "providers/kinds/vm_text.h"
#include "providers/pve/property_string.h"

namespace hainfra::providers::ct {
namespace {

using vm::ConfigText;
using vm::text::Split;
using vm::text::Truthy;
using vm::text::Upper;

bool CtSlotOf(std::string_view key, std::string_view prefix) {
  if (key.substr(0, prefix.size()) != prefix || key.size() == prefix.size()) return false;
  return std::all_of(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

int SlotIndex(std::string_view key, size_t prefix) {
  int n = 0;
  std::from_chars(key.data() + prefix, key.data() + key.size(), n);
  return n;
}

Result<int64_t> CtIntOf(const std::string& key, const std::string& text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Fail(Code::kInternal, "container config key `" + key + "`: not an integer: '" + text + "'");
  }
  return n;
}

std::string BoolParam(const Value& v) { return v.is_boolean() ? (v.get<bool>() ? "1" : "0") : ConfigText(v); }

// Mount options shared by rootfs and mount points (mountoptions, acl, quota, replicate), with defaults.
void ParseMountOptions(const pve::PropertyString& ps, Value& out) {
  const std::string* opts = ps.Find("mountoptions");
  std::vector<std::string> list = opts != nullptr ? Split(*opts, ";") : std::vector<std::string>{};
  std::sort(list.begin(), list.end());
  out["options"] = list;
  if (const std::string* acl = ps.Find("acl")) out["acl"] = Truthy(*acl);
  const std::string* quota = ps.Find("quota");
  out["quota"] = quota != nullptr && Truthy(*quota);
  const std::string* replicate = ps.Find("replicate");
  out["replicate"] = replicate == nullptr || Truthy(*replicate);
}

void WriteMountOptions(const Value& entry, pve::PropertyString& ps) {
  if (entry.contains("options")) {
    std::vector<std::string> opts;
    for (const Value& o : entry["options"]) opts.push_back(ConfigText(o));
    std::sort(opts.begin(), opts.end());
    std::string text;
    for (const std::string& o : opts) text += (text.empty() ? "" : ";") + o;
    if (text.empty()) ps.Erase("mountoptions");
    else ps.Set("mountoptions", text);
  }
  for (const char* key : {"acl", "quota", "replicate"}) {
    if (entry.contains(key)) ps.Set(key, BoolParam(entry[key]));
  }
}

Result<Value> ParseMountPoint(const std::string& key, const std::string& text) {
  auto ps = pve::ParsePropertyString(text, "volume");
  if (!ps) return Fail(Code::kInternal, "container config key `" + key + "`: " + ps.error().message);
  Value mp = Value::object();
  const std::string* vol = ps->Find("volume");
  const std::string volume = vol != nullptr ? *vol : "";
  if (key != "rootfs") mp["slot"] = key;
  if (!volume.empty() && volume.front() == '/') {
    mp["bind"] = volume;
  } else {
    mp["storage"] = volume.substr(0, volume.find(':'));
    // A volume without `size=` (Proxmox keeps it so when it never learned one) says nothing about its size.
    if (const std::string* size = ps->Find("size")) mp["size"] = *size;
  }
  if (key != "rootfs") {
    if (const std::string* path = ps->Find("mp")) mp["path"] = *path;
    const std::string* backup = ps->Find("backup");
    mp["backup"] = backup != nullptr && Truthy(*backup);
    const std::string* ro = ps->Find("ro");
    mp["ro"] = ro != nullptr && Truthy(*ro);
  }
  ParseMountOptions(*ps, mp);
  return mp;
}

Result<Value> ParseCtNet(const std::string& key, const std::string& text) {
  auto ps = pve::ParsePropertyString(text);
  if (!ps) return Fail(Code::kInternal, "container config key `" + key + "`: " + ps.error().message);
  Value net = Value::object();
  for (const auto& [k, v] : ps->entries) {
    if (k == "name" || k == "bridge" || k == "ip" || k == "gw" || k == "ip6" || k == "gw6") {
      net[k] = v;
    } else if (k == "hwaddr") {
      net["hwaddr"] = Upper(v);
    } else if (k == "tag" || k == "mtu") {
      auto n = CtIntOf(key, v);
      if (!n) return Fail(n.error());
      net[k] = *n;
    } else if (k == "rate") {
      double r = 0;
      std::from_chars(v.data(), v.data() + v.size(), r);
      net["rate"] = r;
    } else if (k == "firewall") {
      net["firewall"] = Truthy(v);
    }
  }
  if (!net.contains("firewall")) net["firewall"] = false;
  return net;
}

Value ParseFeatures(const std::string& text) {
  Value f = {{"nesting", false}, {"keyctl", false}, {"fuse", false}, {"mount", Value::array()}};
  auto ps = pve::ParsePropertyString(text);
  if (!ps) return f;
  for (const char* key : {"nesting", "keyctl", "fuse"}) {
    if (const std::string* v = ps->Find(key)) f[key] = Truthy(*v);
  }
  if (const std::string* m = ps->Find("mount")) {
    std::vector<std::string> fs = Split(*m, ";");
    std::sort(fs.begin(), fs.end());
    f["mount"] = fs;
  }
  return f;
}

// features over the current value: the written keys replace, others (mknod, force_rw_sys) stay.
std::string FormatFeatures(const Value& features, const std::string& base) {
  pve::PropertyString ps;
  if (!base.empty()) {
    if (auto parsed = pve::ParsePropertyString(base)) ps = std::move(*parsed);
  }
  for (const char* key : {"fuse", "keyctl", "nesting"}) {
    if (!features.contains(key)) continue;
    if (features[key].is_boolean() && !features[key].get<bool>()) ps.Erase(key);
    else ps.Set(key, BoolParam(features[key]));
  }
  if (features.contains("mount")) {
    std::vector<std::string> fs;
    for (const Value& m : features["mount"]) fs.push_back(ConfigText(m));
    std::sort(fs.begin(), fs.end());
    std::string text;
    for (const std::string& m : fs) text += (text.empty() ? "" : ";") + m;
    if (text.empty()) ps.Erase("mount");
    else ps.Set("mount", text);
  }
  std::sort(ps.entries.begin(), ps.entries.end());
  return pve::FormatPropertyString(ps);
}

// A mount point (or rootfs) entry as a config value over `base` (empty: a new volume or bind mount).
std::string FormatMount(const std::string& key, const Value& entry, const std::string& base) {
  pve::PropertyString ps;
  if (!base.empty()) {
    if (auto parsed = pve::ParsePropertyString(base, "volume")) ps = std::move(*parsed);
  } else if (entry.contains("bind")) {
    ps.Set("volume", ConfigText(entry["bind"]));
  } else {
    ps.Set("volume", entry.value("storage", "") + ":" + vm::NewVolumeSize(entry.value("size", Value(0))));
  }
  if (!base.empty() && entry.contains("bind")) ps.Set("volume", ConfigText(entry["bind"]));
  if (key != "rootfs") {
    if (entry.contains("path")) ps.Set("mp", ConfigText(entry["path"]));
    for (const char* k : {"backup", "ro"}) {
      if (entry.contains(k)) ps.Set(k, BoolParam(entry[k]));
    }
  }
  WriteMountOptions(entry, ps);
  return pve::FormatPropertyString(ps, "volume");
}

std::string FormatCtNet(const Value& net, const std::string& base) {
  pve::PropertyString ps;
  if (!base.empty()) {
    if (auto parsed = pve::ParsePropertyString(base)) ps = std::move(*parsed);
  }
  for (const char* key : {"name", "bridge", "ip", "gw", "ip6", "gw6", "tag", "mtu", "rate"}) {
    if (net.contains(key)) ps.Set(key, ConfigText(net[key]));
  }
  if (net.contains("hwaddr")) ps.Set("hwaddr", Upper(ConfigText(net["hwaddr"])));
  if (net.contains("firewall")) ps.Set("firewall", BoolParam(net["firewall"]));
  return pve::FormatPropertyString(ps);
}

std::string TagsText(const Value& tags) {
  std::vector<std::string> all{std::string(vm::kOwnerTag)};
  if (tags.is_array()) {
    for (const Value& t : tags) all.push_back(ConfigText(t));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::string text;
  for (const std::string& t : all) text += (text.empty() ? "" : ";") + t;
  return text;
}

std::string JoinWords(const Value& list, const char* separator) {
  std::string text;
  if (!list.is_array()) return ConfigText(list);
  for (const Value& v : list) text += (text.empty() ? "" : separator) + ConfigText(v);
  return text;
}

const std::set<std::string> kCtScalars = {"hostname", "arch",   "ostype",     "cores",       "cpulimit",
                                          "cpuunits", "memory", "swap",       "onboot",      "protection",
                                          "description", "timezone", "searchdomain", "unprivileged"};

// The list at `key` of `body` by reference (an empty one when absent).
const Value& ListOf(const Value& body, const char* key) {
  static const Value kEmpty = Value::array();
  auto it = body.find(key);
  return it != body.end() && it->is_array() ? *it : kEmpty;
}

// The config key of the NIC named `name` in `config` ("" when none).
std::string NetSlotOf(const Value& config, const std::string& name) {
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (!CtSlotOf(it.key(), "net")) continue;
    auto ps = pve::ParsePropertyString(ConfigText(it.value()));
    if (ps && ps->Find("name") != nullptr && *ps->Find("name") == name) return it.key();
  }
  return "";
}

}  // namespace

Result<Value> ConfigToBody(const Value& config) {
  if (!config.is_object()) return Fail(Code::kInternal, "container config is not an object");
  Value body = Value::object();
  Value mps = Value::array(), nets = Value::array();
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string& key = it.key();
    const std::string text = ConfigText(it.value());
    if (key == "cores" || key == "cpuunits" || key == "memory" || key == "swap") {
      auto n = CtIntOf(key, text);
      if (!n) return Fail(n.error());
      body[key] = *n;
    } else if (key == "cpulimit") {
      double n = 0;
      std::from_chars(text.data(), text.data() + text.size(), n);
      body["cpulimit"] = n;
    } else if (key == "onboot" || key == "protection" || key == "unprivileged") {
      body[key] = Truthy(text);
    } else if (key == "hostname" || key == "arch" || key == "ostype" || key == "description" ||
               key == "timezone" || key == "searchdomain") {
      body[key] = text;
    } else if (key == "nameserver") {
      body["nameserver"] = Split(text, " ,;");
    } else if (key == "features") {
      body["features"] = ParseFeatures(text);
    } else if (key == "tags") {
      Value tags = Value::array();
      for (const std::string& t : vm::SplitTags(text)) {
        if (t != vm::kOwnerTag) tags.push_back(t);
      }
      body["tags"] = tags;
    } else if (key == "startup") {
      auto ps = pve::ParsePropertyString(text, "order");
      if (!ps) return Fail(Code::kInternal, "container config key `startup`: " + ps.error().message);
      Value startup = Value::object();
      for (const char* k : {"order", "up", "down"}) {
        if (const std::string* v = ps->Find(k)) {
          auto n = CtIntOf("startup", *v);
          if (!n) return Fail(n.error());
          startup[k] = *n;
        }
      }
      body["startup"] = startup;
    } else if (key == "rootfs") {
      auto mp = ParseMountPoint(key, text);
      if (!mp) return Fail(mp.error());
      body["rootfs"] = *mp;
    } else if (CtSlotOf(key, "mp")) {
      auto mp = ParseMountPoint(key, text);
      if (!mp) return Fail(mp.error());
      mps.push_back(*mp);
    } else if (CtSlotOf(key, "net")) {
      auto net = ParseCtNet(key, text);
      if (!net) return Fail(net.error());
      nets.push_back(*net);
    }
    // unusedN, lxc raw keys, lock, digest, template ... are not managed.
  }
  const std::pair<const char*, Value> defaults[] = {
      {"memory", 512},         {"swap", 512},           {"cpulimit", 0.0},       {"cpuunits", 100},
      {"arch", "amd64"},       {"unprivileged", false}, {"onboot", false},       {"protection", false},
      {"description", ""},     {"tags", Value::array()},
      {"features", Value{{"nesting", false}, {"keyctl", false}, {"fuse", false}, {"mount", Value::array()}}}};
  for (const auto& [key, value] : defaults) {
    if (!body.contains(key)) body[key] = value;
  }
  std::sort(mps.begin(), mps.end(), [](const Value& a, const Value& b) {
    return SlotIndex(a.value("slot", "mp0"), 2) < SlotIndex(b.value("slot", "mp0"), 2);
  });
  body["mount_points"] = mps;
  std::sort(nets.begin(), nets.end(), [](const Value& a, const Value& b) { return a.value("name", "") < b.value("name", ""); });
  body["nets"] = nets;
  return body;
}

Result<Value> CreateParams(const Value& desired, const std::string& password) {
  Value params = Value::object();
  params["vmid"] = desired.value("vmid", 0);
  if (!desired.contains("ostemplate")) {
    return Fail(Code::kInvalidArgument, "`ostemplate` is needed to create it (the template it is made from)");
  }
  params["ostemplate"] = desired["ostemplate"];
  for (auto it = desired.begin(); it != desired.end(); ++it) {
    if (!kCtScalars.contains(it.key())) continue;
    params[it.key()] = it.value().is_boolean() ? Value(it.value().get<bool>() ? 1 : 0) : it.value();
  }
  params["tags"] = TagsText(desired.value("tags", Value::array()));
  if (desired.contains("features")) {
    const std::string f = FormatFeatures(desired["features"], "");
    if (!f.empty()) params["features"] = f;
  }
  if (desired.contains("startup")) params["startup"] = vm::FormatStartup(desired["startup"]);
  if (desired.contains("nameserver")) params["nameserver"] = JoinWords(desired["nameserver"], " ");
  if (desired.contains("rootfs")) params["rootfs"] = FormatMount("rootfs", desired["rootfs"], "");
  for (const Value& mp : desired.value("mount_points", Value::array())) {
    params[mp.value("slot", "")] = FormatMount(mp.value("slot", ""), mp, "");
  }
  int slot = 0;
  for (const Value& net : desired.value("nets", Value::array())) {
    params["net" + std::to_string(slot++)] = FormatCtNet(net, "");
  }
  if (desired.contains("ssh_public_keys")) params["ssh-public-keys"] = JoinWords(desired["ssh_public_keys"], "\n");
  if (!password.empty()) params["password"] = password;
  return params;
}

Result<ConfigWork> UpdateWork(const Value& desired, const std::vector<FieldChange>& fields, const Value& config) {
  ConfigWork work;
  std::set<std::string> tops;
  std::map<std::string, std::set<std::string>> entries;  // mount_points/nets -> entries whose fields differ
  std::map<std::string, std::set<std::string>> leaves;   // "mount_points/mp0" or "rootfs" -> differing leaves
  for (const FieldChange& f : fields) {
    const std::string top = vm::TopKey(f.path);
    tops.insert(top);
    const std::string entry = vm::EntryKey(f.path);
    if (!entry.empty()) {
      entries[top].insert(entry);
      const size_t dot = f.path.find("].");
      leaves[top + "/" + entry].insert(dot == std::string::npos ? "" : f.path.substr(dot + 2));
    } else if (top == "rootfs") {
      const size_t dot = f.path.find('.');
      leaves["rootfs"].insert(dot == std::string::npos ? "" : f.path.substr(dot + 1));
    }
  }
  auto current = [&](const std::string& key) { return config.contains(key) ? ConfigText(config[key]) : std::string(); };
  for (const std::string& top : tops) {
    if (kCtScalars.contains(top)) {
      const Value& v = desired.value(top, Value());
      work.params[top] = v.is_boolean() ? Value(v.get<bool>() ? 1 : 0) : v;
    } else if (top == "tags") {
      work.params["tags"] = TagsText(desired.value("tags", Value::array()));
    } else if (top == "features") {
      const std::string f = FormatFeatures(desired["features"], current("features"));
      if (f.empty()) work.deletes.push_back("features");
      else work.params["features"] = f;
    } else if (top == "startup") {
      work.params["startup"] = vm::FormatStartup(desired["startup"]);
    } else if (top == "nameserver") {
      work.params["nameserver"] = JoinWords(desired["nameserver"], " ");
    } else if (top == "rootfs") {
      const std::set<std::string>& changed = leaves["rootfs"];
      if (changed.contains("size")) {
        auto target = vm::ResizeTarget(desired["rootfs"]["size"]);
        if (!target) return Fail(Code::kInvalidArgument, "rootfs.size: not a size");
        work.resizes.push_back({"rootfs", *target});
      }
      if (std::any_of(changed.begin(), changed.end(), [](const std::string& l) { return l != "size" && l != "storage"; })) {
        work.params["rootfs"] = FormatMount("rootfs", desired["rootfs"], current("rootfs"));
      }
    }
  }
  for (const std::string& slot : entries["mount_points"]) {
    const Value* want = nullptr;  // points into `desired` (never into a temporary copy)
    for (const Value& mp : ListOf(desired, "mount_points")) {
      if (mp.value("slot", "") == slot) want = &mp;
    }
    if (want == nullptr) {
      work.deletes.push_back(slot);  // detached: pve-container keeps the volume as unusedN
      continue;
    }
    const std::string base = current(slot);
    const std::set<std::string>& changed = leaves["mount_points/" + slot];
    if (!base.empty() && changed.contains("size") && !want->contains("bind")) {
      auto target = vm::ResizeTarget((*want)["size"]);
      if (!target) return Fail(Code::kInvalidArgument, "mount_points[" + slot + "].size: not a size");
      work.resizes.push_back({slot, *target});
    }
    if (base.empty() || std::any_of(changed.begin(), changed.end(), [](const std::string& l) { return l != "size"; })) {
      work.params[slot] = FormatMount(slot, *want, base);
    }
  }
  std::set<std::string> used_slots;
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (CtSlotOf(it.key(), "net")) used_slots.insert(it.key());
  }
  for (const std::string& name : entries["nets"]) {
    const Value* want = nullptr;
    for (const Value& net : ListOf(desired, "nets")) {
      if (net.value("name", "") == name) want = &net;
    }
    const std::string slot = NetSlotOf(config, name);
    if (want == nullptr) {
      if (!slot.empty()) work.deletes.push_back(slot);
      continue;
    }
    std::string key = slot;
    for (int i = 0; key.empty(); ++i) {
      const std::string candidate = "net" + std::to_string(i);
      if (!used_slots.contains(candidate) && !work.params.contains(candidate)) key = candidate;
    }
    work.params[key] = FormatCtNet(*want, slot.empty() ? "" : current(slot));
  }
  return work;
}

}  // namespace hainfra::providers::ct
