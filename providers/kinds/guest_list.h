// The cluster's guest list (GET /cluster/resources?type=vm: VMs and containers alike), read once per plan for
// both guest kinds. The VM and container kinds observe in parallel; whichever asks first fetches the list, the
// other takes the same answer — once, and only while it is fresh (3 s). Every other read fetches anew, so a
// list never outlives the observation it was read for (live state is the truth).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>

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

}  // namespace hainfra::providers
