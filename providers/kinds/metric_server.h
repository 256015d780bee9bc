// `metric_server/<id>`: external metric servers (status.cfg) over /cluster/metrics/server. The list answers
// only id, type, server, port and disable, so observing reads each server; a create POSTs to the item path,
// an update always carries `server` and `port` (required by the PUT). The InfluxDB token is write-only.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class MetricServerKind : public SectionKind {
 public:
  explicit MetricServerKind(transport::ApiClient& api);

  // One list call, then one read per server (the list is a summary).
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  std::vector<std::string> ApiKeysFor(std::string_view field, const Value& body) const override;
  Value UpdateExtras(const Value& body) const override;
};

}  // namespace hainfra::providers
