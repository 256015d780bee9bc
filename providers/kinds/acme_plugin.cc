#include "providers/kinds/acme_plugin.h"

#include "engine/spec/secrets.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/base64.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// spec field <-> plugins.cfg key (`data` is translated apart: a map <-> base64 of KEY=value lines).
constexpr FieldMapping kAcmePluginFields[] = {
    {"api", "api"},
    {"validation_delay", "validation-delay", Spelling::kInt},
    {"nodes", "nodes", Spelling::kList},
    {"disable", "disable", Spelling::kBool},
};

}  // namespace

AcmePluginKind::AcmePluginKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "acme_plugin", .order = order::kAcmePlugin, .body = SectionBody("acme_plugin")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/acme/plugins",
                                       .id_key = "id",
                                       .update_digest = true,
                                       .volatile_keys = {},
                                       .gone_messages = {"not defined"},
                                       .create_at_item = false}) {}

Result<std::optional<SectionKind::Decoded>> AcmePluginKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("plugin", Value()));
  const std::string type = pve::TextOf(object.value("type", Value()));
  if (id.empty() || (type != "dns" && type != "standalone")) return std::optional<Decoded>();
  // The built-in fallback pve-manager adds to every plugins.cfg: not an object of the spec's.
  if (id == "standalone" && type == "standalone") return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kAcmePluginFields);
  if (!body) return Fail(body.error());
  (*body)["id"] = id;
  (*body)["type"] = type;
  if (!body->contains("disable")) (*body)["disable"] = false;
  if (type == "dns" && !body->contains("validation_delay")) (*body)["validation_delay"] = 30;
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> AcmePluginKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kAcmePluginFields);
  params["type"] = pve::TextOf(body.value("type", Value()));
  if (auto data = body.find("data"); data != body.end() && data->is_object()) {
    std::string lines;
    for (auto it = data->begin(); it != data->end(); ++it) {
      Result<std::string> value = spec::ResolveSecret(pve::TextOf(it.value()));
      if (!value) return Fail(WithContext(value.error(), "data." + it.key()));
      lines += it.key() + "=" + *value + "\n";
    }
    params["data"] = pve::Base64Encode(lines);
  }
  return params;
}

std::vector<std::string> AcmePluginKind::ApiKeys(std::string_view field) const {
  if (field == "data") return {"data"};
  return pve::ApiKeysOf(field, kAcmePluginFields);
}

}  // namespace hainfra::providers
