#include "providers/kinds/datacenter.h"

#include <algorithm>
#include <span>

#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/property_string.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr const char* kOptionsPath = "/cluster/options";
constexpr const char* kProxmoxOui = "BC:24:11";

// Plain options: spec field <-> datacenter.cfg key.
constexpr FieldMapping kDcScalars[] = {
    {"keyboard", "keyboard"},     {"language", "language"},
    {"console", "console"},       {"email_from", "email_from"},
    {"max_workers", "max_workers", Spelling::kInt},
    {"mac_prefix", "mac_prefix"},
};

// Property-string options: sub-field <-> sub-key, per option.
constexpr FieldMapping kDcMigration[] = {{"type", "type"}, {"network", "network"}};
constexpr FieldMapping kDcCrs[] = {{"ha", "ha"}, {"ha_rebalance_on_start", "ha-rebalance-on-start", Spelling::kBool}};
constexpr FieldMapping kDcHa[] = {{"shutdown_policy", "shutdown_policy"}};
constexpr FieldMapping kDcBwlimit[] = {{"default", "default", Spelling::kInt},
                                       {"clone", "clone", Spelling::kInt},
                                       {"migration", "migration", Spelling::kInt},
                                       {"move", "move", Spelling::kInt},
                                       {"restore", "restore", Spelling::kInt}};
constexpr FieldMapping kDcNextId[] = {{"lower", "lower", Spelling::kInt}, {"upper", "upper", Spelling::kInt}};
// `color-map` is translated apart (a map of its own).
constexpr FieldMapping kDcTagStyle[] = {
    {"shape", "shape"}, {"ordering", "ordering"}, {"case_sensitive", "case-sensitive", Spelling::kBool}};
constexpr FieldMapping kDcU2f[] = {{"appid", "appid"}, {"origin", "origin"}};
constexpr FieldMapping kDcWebauthn[] = {
    {"rp", "rp"}, {"origin", "origin"}, {"id", "id"}, {"allow_subdomains", "allow-subdomains", Spelling::kBool}};

struct DcProperty {
  std::string_view spec;
  std::string_view api;
  std::string_view default_key;  // the sub-key a bare value sets (`migration: insecure`)
  std::span<const FieldMapping> keys;
};

constexpr DcProperty kDcProperties[] = {
    {"migration", "migration", "type", kDcMigration}, {"crs", "crs", "", kDcCrs},
    {"ha", "ha", "", kDcHa},                         {"bwlimit", "bwlimit", "", kDcBwlimit},
    {"next_id", "next-id", "", kDcNextId},           {"tag_style", "tag-style", "", kDcTagStyle},
    {"u2f", "u2f", "", kDcU2f},                      {"webauthn", "webauthn", "", kDcWebauthn},
};

const DcProperty* FindDcProperty(std::string_view field) {
  for (const DcProperty& p : kDcProperties) {
    if (p.spec == field) return &p;
  }
  return nullptr;
}

// Proxmox's defaults of the options that have one (pve-cluster's DataCenterConfig formats).
const Value& DcDefaults() {
  static const Value kDefaults = {
      {"mac_prefix", kProxmoxOui},
      {"migration", {{"type", "secure"}}},
      {"crs", {{"ha", "basic"}, {"ha_rebalance_on_start", false}}},
      {"ha", {{"shutdown_policy", "conditional"}}},
      {"next_id", {{"lower", 100}, {"upper", 1000000}}},
      {"tag_style", {{"shape", "circle"}, {"ordering", "alphabetical"}, {"case_sensitive", false}}},
      {"webauthn", {{"allow_subdomains", true}}},
  };
  return kDefaults;
}

// "tag:ff0000;other:00ff00:ffffff" <-> {tag: "ff0000", other: "00ff00:ffffff"}.
Value DecodeColorMap(const std::string& text) {
  Value out = Value::object();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string entry = text.substr(start, end - start);
    const size_t colon = entry.find(':');
    if (colon != std::string::npos && colon > 0) out[entry.substr(0, colon)] = entry.substr(colon + 1);
    start = end + 1;
  }
  return out;
}

std::string EncodeColorMap(const Value& map) {
  std::string out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    out += (out.empty() ? "" : ";") + it.key() + ":" + pve::TextOf(it.value());
  }
  return out;
}

// One property-string option as answered (an object, or the raw string `bwlimit` stays) -> API sub-keys.
Result<Value> DcSubKeys(const Value& answer, const DcProperty& p) {
  if (answer.is_object()) return answer;
  Result<pve::PropertyString> parsed = pve::ParsePropertyString(pve::TextOf(answer), p.default_key);
  if (!parsed) return Fail(WithContext(parsed.error(), std::string(p.api)));
  Value out = Value::object();
  for (const auto& [key, value] : parsed->entries) out[key] = value;
  return out;
}

// Spec sub-fields -> "key=value,..." in the table's order (booleans 1/0).
std::string DcPropertyText(const Value& object, const DcProperty& p) {
  pve::PropertyString ps;
  for (const FieldMapping& m : p.keys) {
    auto it = object.find(std::string(m.spec));
    if (it == object.end() || it->is_null()) continue;
    ps.Set(std::string(m.api), it->is_boolean() ? (it->get<bool>() ? "1" : "0") : pve::TextOf(*it));
  }
  if (p.spec == "tag_style" && object.contains("color_map") && !object["color_map"].empty()) {
    ps.Set("color-map", EncodeColorMap(object["color_map"]));
  }
  return pve::FormatPropertyString(ps);
}

// The object at `key` of a body, or an empty one.
Value DcObjectAt(const Value& body, const char* key) {
  auto it = body.is_object() ? body.find(key) : body.end();
  return it != body.end() && it->is_object() ? *it : Value::object();
}

// `a` with `b`'s keys laid over it, one level deep (a written map, `color_map`, replaces the old one whole).
Value Overlay(Value a, const Value& b) {
  if (!a.is_object()) a = Value::object();
  for (auto it = b.begin(); it != b.end(); ++it) a[it.key()] = it.value();
  return a;
}

}  // namespace

DatacenterKind::DatacenterKind(transport::ApiClient& api, int pve_major)
    : traits_{.name = "datacenter", .order = order::kDatacenter, .body = SectionBody("datacenter")},
      api_(api),
      pve_major_(pve_major) {}

std::vector<Resource> DatacenterKind::Desired(const Spec& spec) const { return SectionObjects(spec, "datacenter"); }

Result<Value> DatacenterKind::Decode(const Value& answer, bool with_defaults) {
  if (!answer.is_object()) return Fail(Code::kInternal, "datacenter options: expected an object");
  Result<Value> body = pve::DecodeFields(answer, kDcScalars);
  if (!body) return Fail(body.error());
  for (const DcProperty& p : kDcProperties) {
    auto it = answer.find(std::string(p.api));
    if (it == answer.end() || it->is_null()) continue;
    Result<Value> keys = DcSubKeys(*it, p);
    if (!keys) return Fail(keys.error());
    Result<Value> sub = pve::DecodeFields(*keys, p.keys);
    if (!sub) return Fail(WithContext(sub.error(), std::string(p.api)));
    if (p.spec == "tag_style" && keys->contains("color-map")) {
      (*sub)["color_map"] = DecodeColorMap(pve::TextOf((*keys)["color-map"]));
    }
    if (!sub->empty()) (*body)[std::string(p.spec)] = std::move(*sub);
  }
  // The answer always carries the prefix (the OUI when unset); only a set one is the file's own.
  if (!with_defaults && body->value("mac_prefix", "") == kProxmoxOui) body->erase("mac_prefix");
  if (with_defaults) {
    const Value& defaults = DcDefaults();
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
      if (it->is_object()) (*body)[it.key()] = Overlay(it.value(), body->value(it.key(), Value::object()));
      else if (!body->contains(it.key())) (*body)[it.key()] = it.value();
    }
  }
  return body;
}

Result<Value> DatacenterKind::Encode(const Value& desired, const std::vector<std::string>& fields,
                                     const Value& current) {
  Result<Value> set = Decode(current, /*with_defaults=*/false);
  if (!set) return Fail(set.error());
  Value params = pve::EncodeFields(desired, kDcScalars);
  for (auto it = params.begin(); it != params.end();) {
    if (std::find(fields.begin(), fields.end(), it.key()) == fields.end()) it = params.erase(it);
    else ++it;
  }
  for (const std::string& field : fields) {
    const DcProperty* p = FindDcProperty(field);
    if (p == nullptr || !desired.contains(field)) continue;
    // The sub-keys the spec does not write keep their value in the cluster.
    const Value merged = Overlay(set->value(field, Value::object()), desired[field]);
    params[std::string(p->api)] = DcPropertyText(merged, *p);
  }
  return params;
}

Result<Value> DatacenterKind::Read() const {
  Result<Value> answer = api_.Get(kOptionsPath);
  if (!answer) return Fail(WithContext(answer.error(), "datacenter options"));
  if (answer->is_object()) answer->erase("allowed-tags");  // the caller's view, not a setting
  return answer;
}

Result<std::vector<Observed>> DatacenterKind::Observe(const std::vector<Resource>& desired) {
  std::vector<Observed> out;
  if (desired.empty()) return out;
  if (pve_major_ < 9) {
    std::string problems;
    for (const Resource& r : desired) {
      if (DcObjectAt(r.body, "crs").value("ha", "") != "dynamic") continue;
      problems += "\n" + r.LocationOf("/crs/ha").ToString() + ": datacenter crs.ha: dynamic needs PVE 9 (this "
                  "cluster runs PVE " + std::to_string(pve_major_) + "): use basic or static";
    }
    if (!problems.empty()) return Fail(Code::kInvalidArgument, "refused:" + problems);
  }
  Result<Value> answer = Read();
  if (!answer) return Fail(answer.error());
  Result<Value> body = Decode(*answer, /*with_defaults=*/true);
  if (!body) return Fail(body.error());
  out.push_back(Observed{Address{"datacenter", "datacenter"}, std::move(*body), plan::Fingerprint(*answer), false});
  return out;
}

Result<std::vector<Observed>> DatacenterKind::ObserveAll() {
  Result<Value> answer = Read();
  if (!answer) return Fail(answer.error());
  Result<Value> body = Decode(*answer, /*with_defaults=*/false);
  if (!body) return Fail(body.error());
  std::vector<Observed> out;
  out.push_back(Observed{Address{"datacenter", "datacenter"}, std::move(*body), plan::Fingerprint(*answer), false});
  return out;
}

void DatacenterKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  // Proxmox compares the prefix without case (the default is left out of the file whatever its case).
  auto prefix = body.find("mac_prefix");
  if (prefix != body.end() && prefix->is_string()) {
    std::string text = prefix->get<std::string>();
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    *prefix = text;
  }
}

Status DatacenterKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  const Value wanted = DcObjectAt(desired.body, "next_id");
  if (wanted.empty()) return Ok();
  // pve-cluster refuses lower > upper; an equal pair leaves no VMID to pick (upper is exclusive).
  const Value range = Overlay(DcObjectAt(observed.body, "next_id"), wanted);
  const int64_t lower = range.value("lower", int64_t{100});
  const int64_t upper = range.value("upper", int64_t{1000000});
  if (lower < upper) return Ok();
  for (FieldChange& f : change.fields) {
    if (!f.pointer.starts_with("/next_id/")) continue;
    f.refused = "lower " + std::to_string(lower) + " is not below upper " + std::to_string(upper) +
                " (with the cluster's other bound): no VMID left to pick";
  }
  return Ok();
}

Status DatacenterKind::Write(const Change& change, const std::vector<std::string>& fields) {
  Result<Value> current = Read();
  if (!current) return Fail(current.error());
  if (!change.version.empty() && plan::Fingerprint(*current) != change.version) {
    // Changed since the plan: fine when it is already as wanted (a retried step), else never overwrite.
    Result<Value> observed = Decode(*current, /*with_defaults=*/true);
    if (!observed) return Fail(observed.error());
    Normalize(*observed);
    Value wanted = change.after;
    Normalize(wanted);
    std::vector<FieldChange> left;
    plan::DiffFields(traits_.body, wanted, *observed, /*creating=*/false, left);
    if (left.empty()) return Ok();
    return Fail(Code::kFailedPrecondition,
                "datacenter options changed in the cluster since they were planned; plan again");
  }
  Result<Value> params = Encode(change.after, fields, *current);
  if (!params) return Fail(WithContext(params.error(), "datacenter"));
  if (params->empty()) return Ok();
  Result<Value> put = api_.Put(kOptionsPath, *params);
  if (!put) return Fail(WithContext(put.error(), "datacenter"));
  return Ok();
}

Status DatacenterKind::Create(const Change& change) {
  std::vector<std::string> fields;
  for (auto it = change.after.begin(); it != change.after.end(); ++it) fields.push_back(it.key());
  return Write(change, fields);
}

Status DatacenterKind::Update(const Change& change) { return Write(change, ChangedFields(change)); }

Status DatacenterKind::Delete(const Change& change) {
  (void)change;
  return Fail(Code::kFailedPrecondition, "datacenter options are never removed: leave out the keys to unmanage");
}

}  // namespace hainfra::providers
