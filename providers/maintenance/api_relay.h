// The API a rolling reboot talks to while a node reboots. Any member's API serves the whole cluster, but not
// while that member is down: when the node to reboot is the one answering hainfra's API (`/cluster/status`
// marks it `local`), the roll switches to another online member's own endpoint for that node's turn.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "hainfra/result.h"
#include "providers/transport/api_client.h"

namespace hainfra::maintenance {

class ApiRelay {
 public:
  // `endpoints`: node -> its own API endpoint ("pve-02=https://10.0.0.12:8006", HAINFRA_NODE_ENDPOINTS). A
  // node not listed is reached at its `/cluster/status` address on the main endpoint's scheme and port.
  ApiRelay(transport::ApiClient& api, std::map<std::string, std::string> endpoints);

  // The client to use while `rebooting` goes down: the main one unless `rebooting` serves it; then a client
  // (same credentials and TLS settings) of the first other online member, or an error saying why none.
  Result<transport::ApiClient*> For(const std::string& rebooting);

  // The node answering through the client For() returned last ("" for the main one, before any switch).
  const std::string& via() const { return via_; }

 private:
  transport::ApiClient& api_;
  std::map<std::string, std::string> endpoints_;
  std::map<std::string, std::unique_ptr<transport::ApiClient>> clients_;  // node -> its own API
  std::string via_;
};

// HAINFRA_NODE_ENDPOINTS from the process environment, parsed ({} when unset).
std::map<std::string, std::string> NodeEndpointsFromEnvironment();

}  // namespace hainfra::maintenance
