// /cluster/mapping/pci and /usb: hardware mappings in mapping/pci.cfg and mapping/usb.cfg, as
// pve-manager's API2::Cluster::Mapping serves them. The files are section configs without a type: an id
// line, then tab-indented `key value` lines, `map` repeated once per node entry.
#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/router.h"
#include "sim/pvesim/section_config.h"

namespace pvesim {

namespace {

struct MappingEntry {
  std::string id;
  json values = json::object();  // description, mdev, live-migration-capable (pci), map (array of strings)
};

struct MappingFile {
  std::vector<MappingEntry> entries;
  std::string digest;
};

MappingFile ReadMappings(Simulator& sim, const std::string& bus) {
  const std::string raw = sim.fs().Read("mapping/" + bus + ".cfg").value_or("");
  MappingFile out;
  out.digest = Sha1Hex(raw);
  std::istringstream in(raw);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] != '\t' && line[0] != ' ') {
      out.entries.push_back(MappingEntry{line, json::object()});
      continue;
    }
    if (out.entries.empty()) continue;
    const size_t start = line.find_first_not_of(" \t");
    const size_t space = line.find(' ', start);
    const std::string key = line.substr(start, space - start);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    json& values = out.entries.back().values;
    if (key == "map") {
      values["map"].push_back(value);
    } else if (key == "mdev" || key == "live-migration-capable") {
      values[key] = std::stoi(value);
    } else {
      values[key] = value;
    }
  }
  return out;
}

Status WriteMappings(Simulator& sim, const std::string& bus, const MappingFile& file) {
  std::string text;
  for (const MappingEntry& e : file.entries) {
    text += e.id + "\n";
    for (const auto& [key, value] : e.values.items()) {
      if (key == "map") continue;
      text += "\t" + key + " " + ScalarText(value) + "\n";
    }
    for (const auto& m : e.values.value("map", json::array())) text += "\tmap " + ScalarText(m) + "\n";
    text += "\n";
  }
  return sim.fs().Write("mapping/" + bus + ".cfg", text);
}

MappingEntry* FindMapping(MappingFile& file, const std::string& id) {
  for (MappingEntry& e : file.entries)
    if (e.id == id) return &e;
  return nullptr;
}

// One map entry per node (pve-manager refuses a second one for the same node).
Status CheckMapEntries(const json& map) {
  std::set<std::string> nodes;
  for (const auto& m : map) {
    const PropertyMap parsed = SplitLoose(ScalarText(m));
    auto it = parsed.find("node");
    const std::string node = it == parsed.end() ? "" : it->second;
    if (!nodes.insert(node).second) return ParamError("map", "map entry for node '" + node + "' given twice");
  }
  return Ok();
}

void CopyMappingOptions(const Params& p, MappingEntry& e) {
  if (auto d = p.Str("description")) e.values["description"] = *d;
  for (const char* k : {"mdev", "live-migration-capable"})
    if (p.Has(k)) e.values[k] = p.Bool(k) ? 1 : 0;
  if (p.Has("map")) {
    const json& m = p.Raw()["map"];
    e.values["map"] = m.is_array() ? m : json::array({m});
  }
}

void AddMappingBus(RouteTable& t, const std::string& bus) {
  const std::string base = "/cluster/mapping/" + bus;
  t.Add("GET", base, kNoFlags, [bus](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const MappingEntry& e : ReadMappings(c.sim, bus).entries) {
      json o = e.values;
      o["id"] = e.id;
      if (!o.contains("map")) o["map"] = json::array();
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", base, kNoFlags, [bus](Call& c) -> Result<Reply> {
    Params p = c.params;
    const std::string id = p.Take("id").value_or("");
    if (auto st = CheckMapEntries(p.Raw().value("map", json::array())); !st) return Fail(st.error());
    std::lock_guard<std::mutex> lock(c.sim.mu());
    MappingFile file = ReadMappings(c.sim, bus);
    if (FindMapping(file, id)) return Die(bus + " mapping '" + id + "' already exists");
    MappingEntry e{id, json::object()};
    CopyMappingOptions(p, e);
    file.entries.push_back(e);
    if (auto st = WriteMappings(c.sim, bus, file); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("GET", base + "/{id}", kNoFlags, [bus](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    MappingFile file = ReadMappings(c.sim, bus);
    MappingEntry* e = FindMapping(file, id);
    if (!e) return Die("mapping '" + id + "' not found");
    json o = e->values;
    o["id"] = id;
    o["digest"] = file.digest;
    return Reply(o);
  });
  t.Add("PUT", base + "/{id}", kNoFlags, [bus](Call& c) -> Result<Reply> {
    Params p = c.params;
    const std::string id = p.Take("id").value_or("");
    const std::optional<std::string> digest = p.Take("digest");
    const std::string del = p.Take("delete").value_or("");
    if (auto st = CheckMapEntries(p.Raw().value("map", json::array())); !st) return Fail(st.error());
    std::lock_guard<std::mutex> lock(c.sim.mu());
    MappingFile file = ReadMappings(c.sim, bus);
    if (auto st = AssertDigest(digest, file.digest); !st) return Fail(st.error());
    MappingEntry* e = FindMapping(file, id);
    if (!e) return Die("mapping '" + id + "' not found");
    for (const auto& k : SplitList(del)) e->values.erase(k);
    CopyMappingOptions(p, *e);
    if (auto st = WriteMappings(c.sim, bus, file); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", base + "/{id}", kNoFlags, [bus](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    MappingFile file = ReadMappings(c.sim, bus);
    auto it = std::find_if(file.entries.begin(), file.entries.end(), [&](const MappingEntry& e) { return e.id == id; });
    if (it == file.entries.end()) return Die("mapping '" + id + "' not found");
    file.entries.erase(it);
    if (auto st = WriteMappings(c.sim, bus, file); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace

void AddMappingRoutes(RouteTable& t) {
  AddMappingBus(t, "pci");
  AddMappingBus(t, "usb");
}

}  // namespace pvesim
