// /cluster/metrics/server: external metric servers in status.cfg ("influxdb: <id>", "graphite: <id>"), as
// pve-manager's API2::Cluster::MetricServer serves them. The list is a summary (id, type, server, port,
// disable); a create POSTs to the item path; an InfluxDB token goes to priv/metricserver/<id>.pw and is
// never answered.
#include <string>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/router.h"

namespace pvesim {

namespace {

const SectionSchema& MetricSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    std::map<std::string, SectionOption> common = {{"server", Req()},          {"port", Req("integer")},
                                                   {"disable", Opt("boolean")}, {"mtu", Opt("integer")},
                                                   {"timeout", Opt("integer")}};
    auto influx = common;
    for (const char* k : {"influxdbproto", "organization", "bucket", "api-path-prefix"}) influx[k] = Opt();
    influx["max-body-size"] = Opt("integer");
    influx["verify-certificate"] = Opt("boolean");
    s.types["influxdb"] = influx;
    auto graphite = common;
    graphite["proto"] = Opt();
    graphite["path"] = Opt();
    s.types["graphite"] = graphite;
    return s;
  }();
  return schema;
}

SectionFile ReadMetrics(Simulator& sim) { return ReadSections(sim, "status.cfg", MetricSchema()); }

std::string MetricTokenPath(const std::string& id) { return "priv/metricserver/" + id + ".pw"; }

// Copies the request's options of the server's type; an option of the other type is refused.
Status CopyMetricOptions(Simulator& sim, const Params& p, Section& s) {
  const auto& opts = MetricSchema().types.at(s.type);
  for (const auto& key : p.Keys()) {
    if (key == "token") {
      if (s.type != "influxdb") return ParamError("token", "unexpected property 'token'");
      if (auto st = sim.fs().Write(MetricTokenPath(s.id), p.StrOr("token", "")); !st) return st;
      continue;
    }
    auto it = opts.find(key);
    if (it == opts.end()) return ParamError(key, "unexpected property '" + key + "'");
    const std::string v = p.StrOr(key, "");
    if (it->second.type == "boolean") s.values[key] = p.Bool(key) ? 1 : 0;
    else if (it->second.type == "integer") s.values[key] = std::stoll(v);
    else s.values[key] = v;
  }
  return Ok();
}

Result<Reply> CreateMetric(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  const std::string type = p.Take("type").value_or("");
  if (!MetricSchema().types.contains(type)) return ParamError("type", "value '" + type + "' does not have a value in the enumeration 'graphite, influxdb'");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile servers = ReadMetrics(c.sim);
  if (servers.Find(id)) return Die("Metric server '" + id + "' already exists");
  Section s{type, id, json::object()};
  if (auto st = CopyMetricOptions(c.sim, p, s); !st) return Fail(st.error());
  servers.sections.push_back(s);
  if (auto st = WriteSections(c.sim, "status.cfg", servers, MetricSchema()); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateMetric(Call& c) {
  Params p = c.params;
  const std::string id = p.Take("id").value_or("");
  const std::optional<std::string> digest = p.Take("digest");
  const std::string del = p.Take("delete").value_or("");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile servers = ReadMetrics(c.sim);
  if (auto st = AssertDigest(digest, servers.digest); !st) return Fail(st.error());
  Section* s = servers.Find(id);
  if (!s) return Die("Metric server '" + id + "' does not exist");
  for (const auto& k : SplitList(del)) {
    if (k == "token") {
      (void)c.sim.fs().Remove(MetricTokenPath(id));
      continue;
    }
    if (!MetricSchema().types.at(s->type).contains(k)) return ParamError("delete", "unexpected property '" + k + "'");
    s->values.erase(k);
  }
  if (auto st = CopyMetricOptions(c.sim, p, *s); !st) return Fail(st.error());
  if (auto st = WriteSections(c.sim, "status.cfg", servers, MetricSchema()); !st) return Fail(st.error());
  return Reply(nullptr);
}

}  // namespace

void AddMetricServerRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/metrics/server", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& s : ReadMetrics(c.sim).sections) {
      out.push_back({{"id", s.id}, {"type", s.type}, {"server", s.values.value("server", "")},
                     {"port", s.values.value("port", 0)}, {"disable", s.values.value("disable", 0)}});
    }
    return Reply(out);
  });
  t.Add("GET", "/cluster/metrics/server/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    SectionFile servers = ReadMetrics(c.sim);
    const Section* s = servers.Find(id);
    if (!s) return Die("Metric server '" + id + "' does not exist");
    json o = s->values;
    o["id"] = s->id;
    o["type"] = s->type;
    o["digest"] = servers.digest;
    return Reply(o);
  });
  t.Add("POST", "/cluster/metrics/server/{id}", kNoFlags, CreateMetric);
  t.Add("PUT", "/cluster/metrics/server/{id}", kNoFlags, UpdateMetric);
  t.Add("DELETE", "/cluster/metrics/server/{id}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string id = c.params.StrOr("id", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile servers = ReadMetrics(c.sim);
    if (!servers.Remove(id)) return Die("Metric server '" + id + "' does not exist");
    (void)c.sim.fs().Remove(MetricTokenPath(id));
    if (auto st = WriteSections(c.sim, "status.cfg", servers, MetricSchema()); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace pvesim
