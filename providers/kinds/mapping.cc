#include "providers/kinds/mapping.h"

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/property_string.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kMappingFields[] = {
    {"description", "description"},
    {"mdev", "mdev", Spelling::kBool},
    {"live_migration", "live-migration-capable", Spelling::kBool},
};

// A map entry's keys: spec name <-> property-string key, in the order hainfra writes them.
struct MappingEntryKey {
  const char* spec;
  const char* api;
  bool number;
};
constexpr MappingEntryKey kMappingEntryKeys[] = {
    {"node", "node", false},          {"path", "path", false},        {"id", "id", false},
    {"subsystem_id", "subsystem-id", false}, {"iommu_group", "iommugroup", true}, {"description", "description", false},
};

Result<Value> DecodeMappingEntry(const std::string& text) {
  Result<pve::PropertyString> parsed = pve::ParsePropertyString(text, "");
  if (!parsed) return Fail(WithContext(parsed.error(), "map"));
  Value entry = Value::object();
  for (const MappingEntryKey& k : kMappingEntryKeys) {
    const std::string* v = parsed->Find(k.api);
    if (v == nullptr) continue;
    if (k.number) {
      auto n = pve::IntOf(Value(*v));
      if (!n) return Fail(Code::kInternal, "map: " + std::string(k.api) + " `" + *v + "` is not a number");
      entry[k.spec] = *n;
    } else {
      entry[k.spec] = *v;
    }
  }
  return entry;
}

std::string EncodeMappingEntry(const Value& entry) {
  pve::PropertyString ps;
  for (const MappingEntryKey& k : kMappingEntryKeys) {
    auto it = entry.find(k.spec);
    if (it != entry.end() && !it->is_null()) ps.Set(k.api, pve::TextOf(*it));
  }
  return pve::FormatPropertyString(ps);
}

}  // namespace

HardwareMappingKind::HardwareMappingKind(transport::ApiClient& api, const std::string& bus)
    : SectionKind(KindTraits{.name = bus + "_mapping", .order = order::kHardwareMapping, .body = SectionBody(bus + "_mapping")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/mapping/" + bus,
                                       .id_key = "id",
                                       .update_digest = true,
                                       .volatile_keys = {"checks", "error"},
                                       .gone_messages = {"does not exist", "no such"}}),
      bus_(bus) {}

Result<std::optional<SectionKind::Decoded>> HardwareMappingKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("id", Value()));
  if (id.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kMappingFields);
  if (!body) return Fail(body.error());
  (*body)["id"] = id;
  Value map = Value::array();
  for (const std::string& text : pve::StringsOf(object.value("map", Value::array()))) {
    Result<Value> entry = DecodeMappingEntry(text);
    if (!entry) return Fail(entry.error());
    map.push_back(std::move(*entry));
  }
  (*body)["map"] = map;
  if (bus_ == "pci") {
    if (!body->contains("mdev")) (*body)["mdev"] = false;
    if (!body->contains("live_migration")) (*body)["live_migration"] = false;
  }
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> HardwareMappingKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kMappingFields);
  Value map = Value::array();
  for (const Value& entry : body.value("map", Value::array())) map.push_back(EncodeMappingEntry(entry));
  if (!map.empty()) params["map"] = map;
  return params;
}

std::vector<std::string> HardwareMappingKind::ApiKeys(std::string_view field) const {
  if (field == "map") return {"map"};
  return pve::ApiKeysOf(field, kMappingFields);
}

}  // namespace hainfra::providers
