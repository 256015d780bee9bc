// `storage/<id>`: datacenter storages (storage.cfg) over /storage — dir, nfs, cifs, cephfs, rbd, pbs,
// zfspool, lvm, lvmthin, btrfs. Secrets (PBS/CIFS password, PBS encryption key, mount options) are
// write-only: Proxmox keeps them in /etc/pve/priv and never answers them.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class StorageKind : public SectionKind {
 public:
  explicit StorageKind(transport::ApiClient& api);

  void Normalize(Value& body) const override;
  std::vector<Address> References(const Value& body) const override;

  // The storage types Proxmox always marks `shared` (pve-storage's @SHARED_STORAGE).
  static bool AlwaysShared(std::string_view type);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Status CheckDesired(const std::vector<Resource>& desired) const override;
};

}  // namespace hainfra::providers
