#include "engine/spec/checks.h"

#include "engine/spec/firewall_lockout.h"

namespace hainfra::spec {

CheckContext::CheckContext(const Spec& spec, Diagnostics& out) : spec_(spec), out_(out) {
  for (const Resource& r : spec.objects) {
    by_kind_[r.address.kind].push_back(&r);
    by_name_[r.address.kind].emplace(r.address.name, &r);
  }
}

const std::vector<const Resource*>& CheckContext::OfKind(const std::string& kind) const {
  static const std::vector<const Resource*> kNone;
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? kNone : it->second;
}

const Resource* CheckContext::Find(std::string_view kind, std::string_view name) const {
  auto by_kind = by_name_.find(kind);
  if (by_kind == by_name_.end()) return nullptr;
  auto it = by_kind->second.find(name);
  return it == by_kind->second.end() ? nullptr : it->second;
}

void CheckContext::Error(const Resource& r, const std::string& pointer, const std::string& message) {
  Add(Severity::kError, r, pointer, message);
}

void CheckContext::Warning(const Resource& r, const std::string& pointer, const std::string& message) {
  Add(Severity::kWarning, r, pointer, message);
}

void CheckContext::SettingError(const Resource& r, const std::string& pointer, const std::string& field,
                                const std::string& message) {
  Diagnostic d;
  d.where = r.LocationOf(pointer);
  d.field = field;
  d.message = field + ": " + message;
  out_.push_back(std::move(d));
}

void CheckContext::Add(Severity severity, const Resource& r, const std::string& pointer,
                       const std::string& message) {
  Diagnostic d;
  d.severity = severity;
  d.where = r.LocationOf(pointer);
  d.field = r.address.ToString() + pointer;
  d.message = r.address.ToString() + ": " + message;
  out_.push_back(std::move(d));
}

void CheckSpec(const Spec& spec, Diagnostics& out) {
  CheckContext ctx(spec, out);
  CheckReferences(ctx);
  CheckCluster(ctx);
  CheckNetwork(ctx);
  CheckVlans(ctx);
  CheckCeph(ctx);
  CheckStorage(ctx);
  CheckImages(ctx);
  CheckVms(ctx);
  CheckContainers(ctx);
  CheckHa(ctx);
  CheckBackupJobs(ctx);
  CheckDatacenter(ctx);
  CheckPools(ctx);
  CheckBaselines(ctx);
  CheckEnforcement(ctx);
  CheckFirewall(ctx);
  CheckReplication(ctx);
  CheckNotifications(ctx);
  CheckMetricServers(ctx);
  CheckAccess(ctx);
  CheckAcmePlugins(ctx);
}

std::string Str(const Value& body, const char* key) {
  if (!body.is_object()) return "";
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

bool Has(const Value& body, const char* key) { return body.is_object() && body.contains(key); }

const Value& ListAt(const Value& body, const char* key) {
  static const Value kEmpty = Value::array();
  if (!body.is_object()) return kEmpty;
  auto it = body.find(key);
  return it != body.end() && it->is_array() ? *it : kEmpty;
}

const Value& ObjectAt(const Value& body, const char* key) {
  static const Value kEmpty = Value::object();
  if (!body.is_object()) return kEmpty;
  auto it = body.find(key);
  return it != body.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace hainfra::spec
