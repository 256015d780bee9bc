#include "providers/kinds/replication.h"

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// spec field <-> replication.cfg key.
constexpr FieldMapping kReplicationFields[] = {
    {"target", "target"},
    {"schedule", "schedule"},
    {"rate", "rate", Spelling::kNumber},
    {"comment", "comment"},
    {"disable", "disable", Spelling::kBool},
};

}  // namespace

ReplicationKind::ReplicationKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "replication", .order = order::kReplication, .body = SectionBody("replication")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/replication",
                                       .id_key = "id",
                                       .update_digest = true,
                                       // `source` follows the guest when it migrates; `guest` and `jobnum`
                                       // repeat the id.
                                       .volatile_keys = {"source", "guest", "jobnum"},
                                       .gone_messages = {"no such replication job"}}) {}

Result<std::optional<SectionKind::Decoded>> ReplicationKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("id", Value()));
  if (id.empty() || object.value("type", "local") != "local") return std::optional<Decoded>();
  // Deleting a job only marks it: the replication runner removes its snapshots, then the entry.
  if (object.contains("remove_job")) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kReplicationFields);
  if (!body) return Fail(body.error());
  (*body)["id"] = id;
  // The defaults of pve-guest-common's ReplicationConfig.
  if (!body->contains("schedule")) (*body)["schedule"] = "*/15";
  if (!body->contains("disable")) (*body)["disable"] = false;
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> ReplicationKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kReplicationFields);
  params["type"] = "local";  // the only section type; read only by create
  return params;
}

std::vector<std::string> ReplicationKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kReplicationFields);
}

Status ReplicationKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  (void)desired;
  for (FieldChange& f : change.fields) {
    if (f.pointer != "/target") continue;
    f.refused = "the target of replication job " + observed.address.name + " is " +
                pve::TextOf(observed.body.value("target", Value())) +
                " and Proxmox cannot change it: remove this job (state: absent) and add one with another job number";
  }
  return Ok();
}

std::vector<Address> ReplicationKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  const std::string id = pve::TextOf(body.value("id", Value()));
  if (const size_t dash = id.find('-'); dash != std::string::npos) {
    out.push_back(Address{"vm", id.substr(0, dash)});
    out.push_back(Address{"ct", id.substr(0, dash)});
  }
  if (body.contains("target")) out.push_back(Address{"node", pve::TextOf(body["target"])});
  return out;
}

}  // namespace hainfra::providers
