// The cluster's guest list (GET /cluster/resources?type=vm: VMs and containers alike), read once per plan for
// both guest kinds. The VM and container kinds observe in parallel; whichever asks first fetches the list, the
// other takes the same answer — once, and only while it is fresh (3 s). Every other read fetches anew, so a
// list never outlives the observation it was read for (live state is the truth).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/resource.h"
#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class GuestList {
 public:
  explicit GuestList(transport::ApiClient* api) : api_(api) {}

  // The list for `consumer` ("vm" or "ct").
  Result<Value> Read(const std::string& consumer);

 private:
  transport::ApiClient* api_;  // null: no API (offline use of a kind), every read fails
  std::mutex mu_;
  std::optional<Value> last_;
  std::chrono::steady_clock::time_point read_at_;
  std::set<std::string> consumed_;  // the consumers that took `last_` already
};

// The entries of one guest type (`type`: "qemu" or "lxc") of a guest list, by vmid. A vmid that `desired`
// declares for `kind` but a guest of the other type holds is added to `out` as an Observed carrying
// `guest_type`, so that the kind's review refuses it instead of planning a create.
std::map<std::string, Value> GuestsOfType(const Value& list, std::string_view type, const std::string& kind,
                                          const std::vector<Resource>& desired, std::vector<Observed>& out);

// A guest as observed: `body` is its config in the spec's shape; the version is the config's digest (a
// fingerprint of the body when there is none); owned when the config carries hainfra's tag.
Observed ObservedGuest(const std::string& kind, const std::string& vmid, Value body, const Value& config);

}  // namespace hainfra::providers
