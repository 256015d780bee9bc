// `replication/<guest>-<jobnum>`: storage replication jobs (replication.cfg) over /cluster/replication — the
// target node, schedule, rate limit, comment and pause. A job Proxmox is removing (`remove_job` set) is
// already gone as far as the spec is concerned.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class ReplicationKind : public SectionKind {
 public:
  explicit ReplicationKind(transport::ApiClient& api);

  // The guest (a VM or a container: whichever is declared) and the target node.
  std::vector<Address> References(const Value& body) const override;
  // Refuses a new target: Proxmox cannot change it, and a job removed for a replacement stays (marked) until
  // its runner cleans up, so the same id cannot be created again at once. Another target is another job id.
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
};

}  // namespace hainfra::providers
