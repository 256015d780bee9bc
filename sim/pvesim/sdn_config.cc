#include "sim/pvesim/sdn_config.h"

#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

SectionFile ReadSectionsRaw(Simulator& sim, const std::string& kind) {
  return ParseSectionConfig(sim.fs().Read(SdnFile(kind)).value_or(""), SdnSchema(kind));
}

const SectionSchema& SdnZoneSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    std::map<std::string, SectionOption> common = {
        {"nodes", Opt()}, {"ipam", Opt()}, {"dns", Opt()}, {"reversedns", Opt()}, {"dnszone", Opt()},
        {"mtu", Opt("integer")}, {"dhcp", Opt()}};
    auto with = [&](std::map<std::string, SectionOption> extra) {
      auto m = common;
      for (auto& [k, v] : extra) m[k] = v;
      return m;
    };
    s.types["simple"] = common;
    s.types["vlan"] = with({{"bridge", SectionOption{"string", true}}});
    s.types["qinq"] = with({{"bridge", SectionOption{"string", true}}, {"tag", SectionOption{"integer", true}},
                            {"vlan-protocol", Opt()}});
    s.types["vxlan"] = with({{"peers", Opt()}, {"vxlan-port", Opt("integer")}, {"fabric", Opt()}});
    s.types["evpn"] = with({{"controller", SectionOption{"string", true}}, {"vrf-vxlan", SectionOption{"integer", true}},
                            {"mac", Opt()}, {"exitnodes", Opt()}, {"exitnodes-local-routing", Opt("boolean")},
                            {"exitnodes-primary", Opt()}, {"advertise-subnets", Opt("boolean")},
                            {"disable-arp-nd-suppression", Opt("boolean")}, {"rt-import", Opt()}});
    s.types["faucet"] = with({{"dp-id", Opt("integer")}});
    for (auto& [type, opts] : s.types) opts["bridge-disable-mac-learning"] = Opt("boolean");
    return s;
  }();
  return schema;
}

const SectionSchema& SdnVnetSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    s.types["vnet"] = {{"zone", SectionOption{"string", true}}, {"tag", Opt("integer")}, {"alias", Opt()},
                       {"vlanaware", Opt("boolean")}, {"isolate-ports", Opt("boolean")}};
    return s;
  }();
  return schema;
}

const SectionSchema& SdnSubnetSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    s.types["subnet"] = {{"vnet", SectionOption{"string", true}}, {"gateway", Opt()}, {"snat", Opt("boolean")},
                         {"dnszoneprefix", Opt()}, {"dhcp-range", Opt("array")}, {"dhcp-dns-server", Opt()}};
    return s;
  }();
  return schema;
}

std::string SdnFile(const std::string& kind) { return "sdn/" + kind + ".cfg"; }

const SectionSchema& SdnSchema(const std::string& kind) {
  if (kind == "zones") return SdnZoneSchema();
  if (kind == "vnets") return SdnVnetSchema();
  return SdnSubnetSchema();
}

json SdnRunningConfig(Simulator& sim) {
  auto raw = sim.fs().Read("sdn/.running-config");
  if (!raw) return json::object();
  try {
    return json::parse(*raw);
  } catch (const json::exception&) {
    return json::object();
  }
}

json SdnIds(const SectionFile& file) {
  json ids = json::object();
  for (const auto& s : file.sections) {
    json o = s.values;
    o["type"] = s.type;
    ids[s.id] = o;
  }
  return {{"ids", ids}};
}

json SdnPending(const json& running_ids, const json& config_ids) {
  json pending = json::object();
  auto text = [](const json& v) { return v.is_array() ? v.dump() : ScalarText(v); };
  for (auto it = running_ids.begin(); it != running_ids.end(); ++it) {
    const std::string& id = it.key();
    const json& running = it.value();
    json config = config_ids.contains(id) ? config_ids[id] : json::object();
    json& p = pending[id];
    for (auto kv = running.begin(); kv != running.end(); ++kv) {
      p[kv.key()] = kv.value();
      if (config.empty()) {
        p["state"] = "deleted";
      } else if (!config.contains(kv.key())) {
        p["pending"][kv.key()] = "deleted";
        p["state"] = "changed";
      } else if (text(kv.value()) != text(config[kv.key()])) {
        p["state"] = "changed";
      }
    }
    if (p.contains("state") && !p.contains("pending")) p["pending"] = json::object();
  }
  for (auto it = config_ids.begin(); it != config_ids.end(); ++it) {
    const std::string& id = it.key();
    const json& config = it.value();
    json running = running_ids.contains(id) ? running_ids[id] : json::object();
    json& p = pending[id];
    for (auto kv = config.begin(); kv != config.end(); ++kv) {
      bool has_running = running.contains(kv.key());
      if (kv.key() == "type" || kv.key() == "vnet") {
        p[kv.key()] = kv.value();
      } else if (!has_running || text(kv.value()) != text(running[kv.key()])) {
        p["pending"][kv.key()] = kv.value();
      }
      if (running.empty()) p["state"] = "new";
      else if (!has_running) p["state"] = "changed";
    }
    if (p.contains("state") && !p.contains("pending")) p["pending"] = json::object();
  }
  return pending;
}

std::vector<std::pair<std::string, std::string>> SdnRunningZones(Simulator& sim) {
  std::vector<std::pair<std::string, std::string>> out;
  json running = SdnRunningConfig(sim);
  if (!running.contains("zones") || !running["zones"].contains("ids")) return out;
  for (const auto& [id, z] : running["zones"]["ids"].items()) out.emplace_back(id, z.value("type", ""));
  return out;
}

Status SdnCommit(Simulator& sim) {
  json running = SdnRunningConfig(sim);
  int version = running.value("version", 0);
  json cfg = {{"version", version ? version + 1 : 1},
              {"zones", SdnIds(ReadSectionsRaw(sim, "zones"))},
              {"vnets", SdnIds(ReadSectionsRaw(sim, "vnets"))},
              {"subnets", SdnIds(ReadSectionsRaw(sim, "subnets"))},
              {"controllers", {{"ids", json::object()}}},
              {"fabrics", {{"ids", json::object()}}}};
  if (auto st = sim.fs().Write("sdn/.running-config", cfg.dump()); !st) return st;
  return sim.fs().Write("sdn/.version", std::to_string(cfg["version"].get<int>()));
}

}  // namespace pvesim
