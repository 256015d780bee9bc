// `backup_job/<id>`: scheduled vzdump jobs (jobs.cfg) over /cluster/backup — schedule, storage, mode,
// the guests (all + exclude, a VMID list, or a pool), retention, compression, notes, mail. The API has no
// digest for jobs: an update re-reads the job and refuses when it changed since the plan.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class BackupJobKind : public SectionKind {
 public:
  explicit BackupJobKind(transport::ApiClient& api);

  std::vector<Address> References(const Value& body) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
};

}  // namespace hainfra::providers
