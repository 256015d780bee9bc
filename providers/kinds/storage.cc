#include "providers/kinds/storage.h"

#include <algorithm>
#include <cctype>

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"
#include "providers/pve/text.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// spec field <-> storage.cfg key. `type` and `id` are handled apart (the id is the POST's `storage`).
constexpr FieldMapping kStorageFields[] = {
    {"content", "content", Spelling::kList},
    {"nodes", "nodes", Spelling::kList},
    {"shared", "shared", Spelling::kBool},
    {"disable", "disable", Spelling::kBool},
    {"path", "path"},
    {"server", "server"},
    {"export", "export"},
    {"share", "share"},
    {"domain", "domain"},
    {"pool", "pool"},
    {"monhost", "monhost", Spelling::kSpaceList},
    {"username", "username"},
    {"password", "password"},
    {"datastore", "datastore"},
    {"namespace", "namespace"},
    {"fingerprint", "fingerprint"},
    {"encryption_key", "encryption-key"},
    {"krbd", "krbd", Spelling::kBool},
    {"vgname", "vgname"},
    {"thinpool", "thinpool"},
    {"sparse", "sparse", Spelling::kBool},
    {"format", "format"},
    {"preallocation", "preallocation"},
    {"prune", "prune-backups", Spelling::kPrune},
    {"max_protected_backups", "max-protected-backups", Spelling::kInt},
    {"options", "options"},
};

// Write-only secrets: Proxmox keeps them under /etc/pve/priv and never answers them (the PBS plugin
// answers the key's *fingerprint* as `encryption-key`, which must not be compared with the key).
const std::vector<std::string> kWriteOnly = {"password", "encryption_key"};

}  // namespace

bool StorageKind::AlwaysShared(std::string_view type) {
  // pve-storage's @SHARED_STORAGE: parse_config sets `shared` on every storage of these types.
  static const std::vector<std::string_view> kShared = {"iscsi", "nfs", "cifs", "rbd", "cephfs",
                                                        "iscsidirect", "zfs", "drbd", "pbs"};
  return std::find(kShared.begin(), kShared.end(), type) != kShared.end();
}

StorageKind::StorageKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "storage", .order = order::kStorage, .body = SectionBody("storage")}, api,
                  pve::SectionEndpoint{.collection = "/storage",
                                       .id_key = "storage",
                                       .update_digest = true,
                                       .volatile_keys = {},
                                       .gone_messages = {"does not exist"}}) {}

Result<std::optional<SectionKind::Decoded>> StorageKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("storage", Value()));
  const std::string type = pve::TextOf(object.value("type", Value()));
  if (id.empty() || type.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kStorageFields);
  if (!body) return Fail(body.error());
  for (const std::string& secret : kWriteOnly) body->erase(secret);
  (*body)["id"] = id;
  (*body)["type"] = type;
  // Defaults Proxmox applies when the key is absent.
  if (!body->contains("shared") || AlwaysShared(type)) {
    (*body)["shared"] = AlwaysShared(type) || body->value("shared", false);
  }
  if (!body->contains("disable")) (*body)["disable"] = false;
  if (type == "rbd") {
    if (!body->contains("krbd")) (*body)["krbd"] = false;
    if (!body->contains("pool")) (*body)["pool"] = "rbd";  // the RBD plugin's default pool
  }
  if (type == "zfspool" && !body->contains("sparse")) (*body)["sparse"] = false;
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> StorageKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kStorageFields);
  params["type"] = body.value("type", "");
  return params;
}

std::vector<std::string> StorageKind::ApiKeys(std::string_view field) const { return pve::ApiKeysOf(field, kStorageFields); }

void StorageKind::Normalize(Value& body) const {
  SectionKind::Normalize(body);
  if (!body.is_object()) return;
  // Certificate fingerprints are hex: the case carries no meaning.
  auto fp = body.find("fingerprint");
  if (fp != body.end() && fp->is_string()) *fp = pve::Lower(fp->get<std::string>());
}

Status StorageKind::CheckDesired(const std::vector<Resource>& desired) const {
  std::string problems;
  for (const Resource& r : desired) {
    if (r.absent) continue;
    const std::string type = r.body.value("type", "");
    auto shared = r.body.find("shared");
    if (shared != r.body.end() && shared->is_boolean() && !shared->get<bool>() && AlwaysShared(type)) {
      problems += "\n" + Where(r) + r.address.ToString() + ": shared: false cannot hold: Proxmox marks every " +
                  type + " storage shared";
    }
    if (r.address.name == "local" && r.body.contains("nodes")) {
      problems += "\n" + Where(r) + r.address.ToString() +
                  ": nodes cannot hold: Proxmox removes node restrictions from the `local` storage";
    }
  }
  if (problems.empty()) return Ok();
  return Fail(Code::kInvalidArgument, "refused:" + problems);
}

std::vector<Address> StorageKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  // An rbd storage without monhost lives on this cluster's Ceph: its pool comes first.
  if (body.value("type", "") == "rbd" && !body.contains("monhost") && body.contains("pool")) {
    out.push_back(Address{"ceph_pool", pve::TextOf(body["pool"])});
  }
  for (const std::string& node : pve::StringsOf(body.value("nodes", Value::array()))) {
    out.push_back(Address{"node", node});
  }
  return out;
}

}  // namespace hainfra::providers
