#include "providers/kinds/metric_server.h"

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// spec field <-> status.cfg key; `protocol` is `influxdbproto` or `proto` by type (translated apart).
constexpr FieldMapping kMetricServerFields[] = {
    {"server", "server"},
    {"port", "port", Spelling::kInt},
    {"disable", "disable", Spelling::kBool},
    {"mtu", "mtu", Spelling::kInt},
    {"timeout", "timeout", Spelling::kInt},
    {"path", "path"},
    {"organization", "organization"},
    {"bucket", "bucket"},
    {"token", "token"},
    {"api_path_prefix", "api-path-prefix"},
    {"max_body_size", "max-body-size", Spelling::kInt},
    {"verify_certificate", "verify-certificate", Spelling::kBool},
};

std::string MetricServerProtocolKey(const std::string& type) { return type == "influxdb" ? "influxdbproto" : "proto"; }

}  // namespace

MetricServerKind::MetricServerKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "metric_server", .order = order::kMetricServer, .body = SectionBody("metric_server")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/metrics/server",
                                       .id_key = "id",
                                       .update_digest = true,
                                       .volatile_keys = {},
                                       .gone_messages = {"does not exist"},
                                       .create_at_item = true}) {}

Result<std::vector<Observed>> MetricServerKind::Observe(const std::vector<Resource>& desired) {
  (void)desired;
  Result<std::vector<Value>> listed = section().List();
  if (!listed) return Fail(listed.error());
  std::vector<Observed> out;
  for (const Value& summary : *listed) {
    const std::string id = pve::TextOf(summary.value("id", Value()));
    if (id.empty()) continue;
    Result<Value> full = section().Read(id);
    if (!full) return Fail(WithContext(full.error(), "metric_server " + id));
    Result<std::optional<Decoded>> decoded = Decode(*full);
    if (!decoded) return Fail(WithContext(decoded.error(), "metric_server " + id));
    if (!decoded->has_value()) continue;
    Observed o;
    o.address = Address{"metric_server", (*decoded)->name};
    o.body = std::move((*decoded)->body);
    o.version = section().VersionOf(*full);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::optional<SectionKind::Decoded>> MetricServerKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("id", Value()));
  const std::string type = pve::TextOf(object.value("type", Value()));
  if (id.empty() || (type != "influxdb" && type != "graphite")) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kMetricServerFields);
  if (!body) return Fail(body.error());
  body->erase("token");  // write-only
  (*body)["id"] = id;
  (*body)["type"] = type;
  const std::string protocol = pve::TextOf(object.value(MetricServerProtocolKey(type), Value()));
  (*body)["protocol"] = protocol.empty() ? "udp" : protocol;
  // The defaults of pve-manager's metric plugins.
  const Value defaults = type == "influxdb"
                             ? Value{{"disable", false}, {"mtu", 1500}, {"timeout", 1}, {"max_body_size", 25000000},
                                     {"verify_certificate", true}}
                             : Value{{"disable", false}, {"mtu", 1500}, {"timeout", 1}, {"path", "proxmox"}};
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!body->contains(it.key())) (*body)[it.key()] = it.value();
  }
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> MetricServerKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kMetricServerFields);
  const std::string type = pve::TextOf(body.value("type", Value()));
  params["type"] = type;
  if (body.contains("protocol")) params[MetricServerProtocolKey(type)] = pve::TextOf(body["protocol"]);
  return params;
}

std::vector<std::string> MetricServerKind::ApiKeys(std::string_view field) const {
  if (field == "protocol") return {"influxdbproto", "proto"};
  return pve::ApiKeysOf(field, kMetricServerFields);
}

std::vector<std::string> MetricServerKind::ApiKeysFor(std::string_view field, const Value& body) const {
  if (field == "protocol") return {MetricServerProtocolKey(pve::TextOf(body.value("type", Value())))};
  return ApiKeys(field);
}

Value MetricServerKind::UpdateExtras(const Value& body) const {
  // The PUT requires them even when they do not change.
  return pve::EncodeFields(Value{{"server", body.value("server", Value())}, {"port", body.value("port", Value())}},
                           kMetricServerFields);
}

}  // namespace hainfra::providers
