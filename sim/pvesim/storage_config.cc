#include "sim/pvesim/storage_config.h"

#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"

namespace pvesim {

const SectionSchema& StorageSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    std::map<std::string, SectionOption> common = {
        {"content", Opt()}, {"nodes", Opt()}, {"disable", Opt("boolean")}, {"shared", Opt("boolean")},
        {"prune-backups", Opt()}, {"max-protected-backups", Opt("integer")}, {"format", Opt()},
        {"preallocation", Opt()}, {"bwlimit", Opt()}, {"comment", Opt()}};
    auto with = [&](std::map<std::string, SectionOption> extra) {
      auto m = common;
      for (auto& [k, v] : extra) m[k] = v;
      return m;
    };
    s.types["dir"] = with({{"path", Req()}, {"content-dirs", Opt()}, {"is_mountpoint", Opt()},
                           {"mkdir", Opt("boolean")}, {"create-base-path", Opt("boolean")},
                           {"create-subdirs", Opt("boolean")}, {"snapshot-as-volume-chain", Opt("boolean")}});
    s.types["lvmthin"] = with({{"thinpool", Req()}, {"vgname", Req()}});
    s.types["lvm"] = with({{"vgname", Req()}, {"base", Opt()}, {"saferemove", Opt("boolean")},
                           {"saferemove_throughput", Opt()}, {"tagged_only", Opt("boolean")},
                           {"snapshot-as-volume-chain", Opt("boolean")}});
    s.types["rbd"] = with({{"pool", Opt()}, {"monhost", Opt()}, {"username", Opt()}, {"krbd", Opt("boolean")},
                           {"data-pool", Opt()}, {"namespace", Opt()}, {"keyring", Opt()}});
    s.types["cephfs"] = with({{"path", Opt()}, {"fs-name", Opt()}, {"monhost", Opt()}, {"username", Opt()},
                              {"subdir", Opt()}, {"fuse", Opt("boolean")}});
    s.types["nfs"] = with({{"server", Req()}, {"export", Req()}, {"path", Req()}, {"options", Opt()}});
    s.types["cifs"] = with({{"server", Req()}, {"share", Req()}, {"path", Req()}, {"username", Opt()},
                            {"domain", Opt()}, {"smbversion", Opt()}, {"subdir", Opt()}, {"options", Opt()}});
    s.types["pbs"] = with({{"server", Req()}, {"datastore", Req()}, {"username", Opt()}, {"fingerprint", Opt()},
                           {"namespace", Opt()}, {"port", Opt("integer")}, {"encryption-key", Opt()},
                           {"master-pubkey", Opt()}});
    s.types["zfspool"] = with({{"pool", Req()}, {"blocksize", Opt()}, {"sparse", Opt("boolean")},
                               {"mountpoint", Opt()}});
    s.types["zfs"] = with({{"pool", Req()}, {"portal", Req()}, {"target", Req()}, {"iscsiprovider", Req()},
                           {"blocksize", Opt()}, {"sparse", Opt("boolean")}});
    s.types["iscsi"] = with({{"portal", Req()}, {"target", Req()}});
    s.types["iscsidirect"] = with({{"portal", Req()}, {"target", Req()}});
    s.types["btrfs"] = with({{"path", Req()}, {"is_mountpoint", Opt()}});
    s.types["esxi"] = with({{"server", Req()}, {"username", Req()}, {"skip-cert-verification", Opt("boolean")}});
    s.types["glusterfs"] = with({{"server", Opt()}, {"server2", Opt()}, {"volume", Req()}, {"transport", Opt()}});
    return s;
  }();
  return schema;
}

bool StorageEnabledOn(const Section& storage, const std::string& node) {
  if (ScalarText(storage.values.value("disable", nlohmann::json(0))) == "1") return false;
  if (!storage.values.contains("nodes")) return true;
  for (const auto& n : SplitList(ScalarText(storage.values["nodes"])))
    if (n == node) return true;
  return false;
}

std::string DefaultContent(const std::string& type) {
  if (type == "dir" || type == "nfs" || type == "cifs" || type == "btrfs") return "images,rootdir";
  if (type == "pbs") return "backup";
  if (type == "cephfs") return "vztmpl,iso,backup";
  if (type == "iscsi" || type == "iscsidirect") return "images";
  if (type == "esxi") return "import";
  return "images,rootdir";
}

bool StorageIsShared(const Section& storage) {
  static const char* kShared[] = {"rbd", "cephfs", "nfs", "cifs", "pbs", "iscsi", "iscsidirect", "zfs", "glusterfs", "esxi"};
  for (const char* t : kShared)
    if (storage.type == t) return true;
  return ScalarText(storage.values.value("shared", nlohmann::json(0))) == "1";
}

StorageUsage StorageUsageOf(const Section& storage, const std::string& node) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : storage.id + (StorageIsShared(storage) ? "" : node)) h = (h ^ c) * 1099511628211ull;
  StorageUsage u;
  u.total = (storage.type == "rbd" || storage.type == "cephfs") ? (4ull << 40) : (512ull << 30);
  u.used = u.total / 20 + h % (u.total / 10);
  u.avail = u.total - u.used;
  return u;
}

}  // namespace pvesim
