// /cluster/options: datacenter.cfg as pve-manager's get_options/set_options and pve-cluster's
// DataCenterConfig read and write it. GET answers the parsed file: property strings become objects (their
// booleans 1/0, other values as written), tag lists arrays, `mac_prefix` always present (the Proxmox OUI
// when unset), `description` from the comment lines. PUT sets the given keys, drops those `delete` names and
// writes the file back (sorted keys, the deprecated spellings mapped, the default MAC prefix left out, the
// next-id range checked). The API has no digest for this file: set_options takes none.
#include <set>
#include <sstream>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"

namespace pvesim {

namespace {

constexpr const char* kDcFile = "datacenter.cfg";
constexpr const char* kProxmoxOui = "BC:24:11";

struct DcConfig {
  std::string description;                     // the comment lines, decoded
  std::map<std::string, std::string> values;   // key -> value as written
};

// The keys whose value is a property string, with the key a bare value sets (default_key).
const std::map<std::string, std::string>& DcPropertyKeys() {
  static const std::map<std::string, std::string> keys = {
      {"crs", ""},  {"migration", "type"}, {"replication", "type"}, {"next-id", ""},        {"ha", ""},
      {"notify", ""}, {"u2f", ""},         {"webauthn", ""},        {"tag-style", ""},      {"user-tag-access", ""},
  };
  return keys;
}

// Boolean sub-keys of those property strings (parse_property_string runs parse_boolean on them).
bool DcBooleanSubKey(const std::string& key) {
  return key == "ha-rebalance-on-start" || key == "ha-auto-rebalance" || key == "case-sensitive" ||
         key == "allow-subdomains";
}

std::optional<int> DcParseBoolean(const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return 1;
  if (v == "0" || v == "false" || v == "no" || v == "off") return 0;
  return std::nullopt;
}

std::string DcTrim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

DcConfig ReadDcConfig(Simulator& sim) {
  DcConfig cfg;
  std::istringstream in(sim.fs().Read(kDcFile).value_or(""));
  for (std::string raw; std::getline(in, raw);) {
    std::string line = DcTrim(raw);
    if (line.empty()) continue;
    if (line[0] == '#') {
      cfg.description += line.substr(1) + "\n";
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;  // "ignore config line"
    cfg.values[line.substr(0, colon)] = DcTrim(line.substr(colon + 1));
  }
  return cfg;
}

json DcSplitTags(const std::string& text) {
  json out = json::array();
  std::string cur;
  for (char ch : text + ";") {
    if (ch == ';') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}

json DcPropertyObject(const std::string& key, const std::string& value) {
  json obj = json::object();
  const std::string& default_key = DcPropertyKeys().at(key);
  for (const auto& [k, v] : SplitLoose(value)) {
    std::string name = k.empty() ? default_key : k;
    if (name.empty()) continue;
    if (DcBooleanSubKey(name)) {
      if (auto b = DcParseBoolean(v)) { obj[name] = *b; continue; }
    }
    obj[name] = v;
  }
  if (key == "user-tag-access" && obj.contains("user-allow-list"))
    obj["user-allow-list"] = DcSplitTags(obj["user-allow-list"].get<std::string>());
  return obj;
}

// parse_datacenter_config, as get_options answers it.
json DcConfigJson(const DcConfig& cfg) {
  json out = json::object();
  for (const auto& [key, value] : cfg.values) {
    if (DcPropertyKeys().contains(key)) {
      if (key == "crs" && value.empty()) continue;  // "ignoring empty 'crs:' line"
      out[key] = DcPropertyObject(key, value);
    } else if (key == "registered-tags") {
      out[key] = DcSplitTags(value);
    } else if (key == "migration_unsecure") {
      out[key] = DcParseBoolean(value).value_or(0);
    } else if (key == "max_workers") {
      out[key] = value;  // as written: Perl keeps the text
    } else {
      out[key] = value;
    }
  }
  out["description"] = cfg.description;
  if (!out.contains("mac_prefix")) out["mac_prefix"] = kProxmoxOui;
  if (out.contains("migration_unsecure")) {
    json& migration = out["migration"];
    if (!migration.is_object()) migration = json::object();
    if (!migration.contains("type")) migration["type"] = out["migration_unsecure"] == 1 ? "insecure" : "secure";
  }
  if (out.value("console", "") == "applet") out["console"] = "html5";
  // The tags the caller may use: the registered ones and the users' list (root sees them all).
  std::set<std::string> tags;
  if (out.contains("registered-tags"))
    for (const auto& t : out["registered-tags"]) tags.insert(t.get<std::string>());
  if (out.contains("user-tag-access") && out["user-tag-access"].contains("user-allow-list"))
    for (const auto& t : out["user-tag-access"]["user-allow-list"]) tags.insert(t.get<std::string>());
  out["allowed-tags"] = json(std::vector<std::string>(tags.begin(), tags.end()));
  return out;
}

std::string DcUpper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// write_datacenter_config: the deprecated spellings mapped, the default prefix left out, the next-id range
// checked and printed canonically, the description as comment lines first, then the keys sorted.
Result<std::string> WriteDcConfig(DcConfig cfg) {
  auto& v = cfg.values;
  if (v.contains("migration_unsecure") && !v.contains("migration")) {
    v["migration"] = std::string("type=") + (DcParseBoolean(v["migration_unsecure"]).value_or(0) ? "insecure" : "secure");
    v.erase("migration_unsecure");
  }
  if (v.contains("console") && v["console"] == "applet") v["console"] = "html5";
  if (v.contains("mac_prefix") && DcUpper(v["mac_prefix"]) == kProxmoxOui) v.erase("mac_prefix");
  if (v.contains("crs") && v["crs"].empty()) v.erase("crs");
  if (v.contains("next-id")) {
    PropertyMap range = SplitLoose(v["next-id"]);
    long long lower = range.contains("lower") ? std::atoll(range["lower"].c_str()) : 100;
    long long upper = range.contains("upper") ? std::atoll(range["upper"].c_str()) : 1000000;
    if (lower > upper)
      return Die("error with cfs lock 'file-datacenter_cfg': lower (" + std::to_string(lower) + ") <= upper (" +
                 std::to_string(upper) + ") boundary rule broken");
    range.erase("");
    static const json kRange = {{"lower", {{"type", "integer"}, {"optional", 1}}},
                                {"upper", {{"type", "integer"}, {"optional", 1}}}};
    v["next-id"] = PrintPropertyString(range, kRange);
  }
  std::string out;
  std::istringstream lines(cfg.description);
  for (std::string line; std::getline(lines, line);) out += "#" + line + "\n";
  out += "\n";
  for (const auto& [key, value] : v) out += key + ": " + value + "\n";
  return out;
}

}  // namespace

void AddClusterOptionsRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/options", kNoFlags, [](Call& c) -> Result<Reply> {
    return Reply(DcConfigJson(ReadDcConfig(c.sim)));
  });
  t.Add("PUT", "/cluster/options", kNoFlags, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
    std::lock_guard<std::mutex> lock(c.sim.mu());
    DcConfig cfg = ReadDcConfig(c.sim);
    std::string remove = c.params.Take("delete").value_or("");
    for (const std::string& key : c.params.Keys()) {
      std::string value = c.params.StrOr(key, "");
      if (key == "description") cfg.description = value.empty() || value.ends_with("\n") ? value : value + "\n";
      else cfg.values[key] = value;
    }
    for (const std::string& key : SplitList(remove)) {
      if (key == "description") cfg.description.clear();
      cfg.values.erase(key);
    }
    Result<std::string> text = WriteDcConfig(std::move(cfg));
    if (!text) return Fail(text.error());
    if (auto st = c.sim.fs().Write(kDcFile, *text); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace pvesim
