// SDN objects as GET /cluster/sdn/{zones,vnets,...}?pending=1 lists them (pve-network's pending_config):
// the running values at the top level, the edits not yet applied under `pending` ("deleted" for a removed
// key) and a `state` (new, changed, deleted). Split into what runs and what `PUT /cluster/sdn` would apply.
#pragma once

#include <optional>
#include <string>

#include "hainfra/value.h"

namespace hainfra::pve {

struct SdnViews {
  std::optional<Value> running;  // the applied object; none for a new one
  std::optional<Value> pending;  // the object after the next apply; none when it is being deleted
  std::string state;             // "", "new", "changed" or "deleted"

  bool has_pending() const { return !state.empty(); }
};

// The two views of one listed object (keys `state`, `pending` and `digest` are dropped from both).
SdnViews SplitSdnPending(const Value& item);

}  // namespace hainfra::pve
