#include "providers/kinds/backup_job.h"

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

// spec field <-> jobs.cfg key (vzdump options). `compress` is translated apart (none <-> 0).
constexpr FieldMapping kBackupJobFields[] = {
    {"schedule", "schedule"},
    {"storage", "storage"},
    {"mode", "mode"},
    {"all", "all", Spelling::kBool},
    {"vms", "vmid", Spelling::kIntList},
    {"exclude", "exclude", Spelling::kIntList},
    {"pool", "pool"},
    {"node", "node"},
    {"enabled", "enabled", Spelling::kBool},
    {"comment", "comment"},
    {"prune", "prune-backups", Spelling::kPrune},
    {"protected", "protected", Spelling::kBool},
    {"notes_template", "notes-template"},
    {"mail_to", "mailto", Spelling::kList},
    {"mail_notification", "mailnotification"},
    {"notification_mode", "notification-mode"},
    {"bwlimit", "bwlimit", Spelling::kInt},
    {"ionice", "ionice", Spelling::kInt},
    {"zstd_threads", "zstd", Spelling::kInt},
    {"repeat_missed", "repeat-missed", Spelling::kBool},
};

// The values vzdump assumes when a job does not set them (the API schema's defaults).
const Value& Defaults() {
  static const Value kDefaults = {
      {"enabled", true},         {"all", false},
      {"mode", "snapshot"},      {"compress", "none"},
      {"mail_notification", "always"}, {"notification_mode", "auto"},
      {"bwlimit", 0},            {"ionice", 7},
      {"zstd_threads", 1},       {"repeat_missed", false},
  };
  return kDefaults;
}

}  // namespace

BackupJobKind::BackupJobKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "backup_job", .order = order::kBackupJob, .body = SectionBody("backup_job")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/backup",
                                       .id_key = "id",
                                       .update_digest = false,  // jobs have no digest
                                       .volatile_keys = {"next-run"},
                                       .gone_messages = {"No such job", "no such vzdump job"}}) {}

Result<std::optional<SectionKind::Decoded>> BackupJobKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("id", Value()));
  if (id.empty() || object.value("type", "vzdump") != "vzdump") return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kBackupJobFields);
  if (!body) return Fail(body.error());
  (*body)["id"] = id;
  if (object.contains("compress")) {
    // vzdump's compress: 0 = none, 1 = lzo (the old spelling), or the algorithm.
    std::string compress = pve::TextOf(object["compress"]);
    if (compress == "0") compress = "none";
    if (compress == "1") compress = "lzo";
    (*body)["compress"] = compress;
  }
  const Value& defaults = Defaults();
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!body->contains(it.key())) (*body)[it.key()] = it.value();
  }
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> BackupJobKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kBackupJobFields);
  if (body.contains("compress")) {
    const std::string compress = pve::TextOf(body["compress"]);
    params["compress"] = compress == "none" ? "0" : compress;
  }
  return params;
}

std::vector<std::string> BackupJobKind::ApiKeys(std::string_view field) const {
  if (field == "compress") return {"compress"};
  return pve::ApiKeysOf(field, kBackupJobFields);
}

std::vector<Address> BackupJobKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  if (body.contains("storage")) out.push_back(Address{"storage", pve::TextOf(body["storage"])});
  if (body.contains("node")) out.push_back(Address{"node", pve::TextOf(body["node"])});
  for (const std::string& vmid : pve::StringsOf(body.value("vms", Value::array()))) {
    out.push_back(Address{"vm", vmid});  // a vmid is a VM's or a container's: whichever is declared
    out.push_back(Address{"ct", vmid});
  }
  return out;
}

}  // namespace hainfra::providers
