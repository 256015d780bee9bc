// `storage:` — PVE storages (storage.cfg). Which keys each type needs or accepts is checked in
// engine/spec/check_storage.cc; here are the keys themselves with Proxmox's formats.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

FieldSpec PruneFields(std::string name, std::string doc) {
  return Object(std::move(name), std::move(doc),
                {
                    Bool("keep_all", "keep every backup (conflicts with the keep_ counts)"),
                    Int("keep_last", "keep the last N backups").Min(0),
                    Int("keep_hourly", "keep one backup per hour for N hours").Min(0),
                    Int("keep_daily", "keep one backup per day for N days").Min(0),
                    Int("keep_weekly", "keep one backup per week for N weeks").Min(0),
                    Int("keep_monthly", "keep one backup per month for N months").Min(0),
                    Int("keep_yearly", "keep one backup per year for N years").Min(0),
                });
}

}  // namespace

FieldSpec PruneObject(std::string name, std::string doc) { return PruneFields(std::move(name), std::move(doc)); }

SectionSpec StorageSection() {
  return {
      .path = "storage",
      .kind = "storage",
      .identity = "id",
      .item = Object(
          "storage", "A storage (datacenter storage.cfg entry)",
          {
              String("id", "storage id").Format("pve-storage-id").Required().Example("ceph-vm"),
              StateField({"present", "absent"}, "absent removes the storage definition (data stays)"),
              Enum("type", "storage type",
                   {"dir", "nfs", "cifs", "cephfs", "rbd", "pbs", "zfspool", "lvm", "lvmthin", "btrfs"})
                  .Required()
                  .ForceNew(),
              List("content", "what the storage holds",
                   Enum("content", "", {"images", "rootdir", "vztmpl", "backup", "iso", "snippets", "import"}))
                  .Set(),
              List("nodes", "nodes that may use it (default all)", String("node", "").Ref("node")).Set(),
              Bool("shared", "the same content is visible from every node"),
              Bool("disable", "disable the storage"),
              String("path", "dir/btrfs: directory; nfs/cifs/cephfs: mount point").Format("absolute-path")
                  .ForceNew(),
              String("server", "nfs/cifs/pbs: server").Format("address").ForceNew(),
              String("export", "nfs: exported path").Format("absolute-path").ForceNew(),
              String("share", "cifs: share name").ForceNew(),
              String("domain", "cifs: domain"),
              String("pool", "rbd: Ceph pool (a ceph.pools entry unless monhost is set); zfspool: ZFS pool")
                  .ForceNew(),
              List("monhost", "rbd/cephfs: monitors of an external Ceph cluster",
                   String("monitor", "").Format("address")),
              String("username", "rbd/cephfs/pbs/cifs: user name"),
              String("password", "pbs/cifs: password").Secret(),
              String("datastore", "pbs: datastore").ForceNew(),
              String("namespace", "pbs/rbd: namespace"),
              String("fingerprint", "pbs: server certificate fingerprint").Format("sha256-fingerprint"),
              String("encryption_key", "pbs: client-side encryption key").Secret(),
              Bool("krbd", "rbd: map images with the kernel driver"),
              String("vgname", "lvm/lvmthin: volume group").ForceNew(),
              String("thinpool", "lvmthin: thin pool").ForceNew(),
              Bool("sparse", "zfspool: thin-provision volumes"),
              Enum("format", "dir/btrfs/nfs/cifs: default image format", {"raw", "qcow2", "subvol", "vmdk"}),
              Enum("preallocation", "dir/nfs/cifs/btrfs: preallocation of new images",
                   {"off", "metadata", "falloc", "full"}),
              PruneFields("prune", "dir/btrfs/nfs/cifs/cephfs/pbs: retention of backups on this storage"),
              Int("max_protected_backups",
                  "dir/btrfs/nfs/cifs/cephfs/pbs: protected backups per guest (-1 unlimited)")
                  .Min(-1),
              String("options", "nfs/cifs: mount options (e.g. vers=4.2); never shown, as they may carry credentials")
                  .Secret(),
          })};
}

}  // namespace hainfra::schemas
