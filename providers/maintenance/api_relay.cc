#include "providers/maintenance/api_relay.h"

#include <cstdlib>

#include "providers/kinds/node_membership.h"
#include "providers/safety/cluster_health.h"

namespace hainfra::maintenance {
namespace {

// "https://10.0.0.11:8006/x" -> {"https://", ":8006"}: the scheme and port another node's endpoint reuses.
std::pair<std::string, std::string> RelaySchemeAndPort(const std::string& endpoint) {
  std::string scheme = "https://";
  std::string rest = endpoint;
  if (auto at = rest.find("://"); at != std::string::npos) {
    scheme = rest.substr(0, at + 3);
    rest = rest.substr(at + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  const auto close = rest.rfind(']');
  const auto colon = rest.rfind(':');
  std::string port = ":8006";
  if (colon != std::string::npos && (close == std::string::npos || colon > close)) port = rest.substr(colon);
  return {scheme, port};
}

}  // namespace

ApiRelay::ApiRelay(transport::ApiClient& api, std::map<std::string, std::string> endpoints)
    : api_(api), endpoints_(std::move(endpoints)) {}

Result<transport::ApiClient*> ApiRelay::For(const std::string& rebooting) {
  Result<Value> raw = api_.Get("/cluster/status");
  if (!raw) return Fail(WithContext(raw.error(), "reading which node answers the API"));
  Result<safety::ClusterStatus> cluster = safety::ParseClusterStatus(*raw);
  if (!cluster) return Fail(cluster.error());
  std::map<std::string, std::string> addresses;
  for (const Value& e : *raw) {
    if (e.is_object() && e.value("type", "") == "node" && e.contains("ip") && e["ip"].is_string()) {
      addresses[e.value("name", "")] = e["ip"].get<std::string>();
    }
  }
  std::vector<std::string> online;
  for (const auto& [name, up] : cluster->online) {
    if (up && name != rebooting) online.push_back(name);
  }
  if (cluster->local != rebooting) {
    via_.clear();
    return &api_;
  }
  const auto [scheme, port] = RelaySchemeAndPort(api_.settings().endpoint);
  std::string tried;
  for (const std::string& node : online) {
    std::string endpoint;
    if (auto it = endpoints_.find(node); it != endpoints_.end()) {
      endpoint = it->second;
    } else if (!addresses[node].empty()) {
      const std::string& ip = addresses[node];
      endpoint = scheme + (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + port;
    }
    if (endpoint.empty()) continue;
    if (!clients_.contains(node)) {
      transport::ApiSettings settings = api_.settings();
      settings.endpoint = endpoint;
      Result<std::unique_ptr<transport::ApiClient>> client = transport::ApiClient::Create(std::move(settings));
      if (!client) return Fail(WithContext(client.error(), "the API of " + node + " at " + endpoint));
      clients_[node] = std::move(*client);
    }
    // Only a member that answers as itself and sees the cluster quorate may stand in.
    Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*clients_[node]);
    if (status && status->quorate && status->local == node) {
      via_ = node;
      return clients_[node].get();
    }
    tried += (tried.empty() ? "" : "; ") + node + " at " + endpoint + ": " +
             (status ? (status->quorate ? "answers as " + status->local : std::string("not quorate"))
                     : status.error().message);
  }
  return Fail(Code::kFailedPrecondition,
              rebooting + " answers hainfra's API and no other online member's API could take over while it "
                          "reboots (give their endpoints in HAINFRA_NODE_ENDPOINTS)" +
                  (tried.empty() ? std::string() : ": " + tried));
}

std::map<std::string, std::string> NodeEndpointsFromEnvironment() {
  const char* list = std::getenv("HAINFRA_NODE_ENDPOINTS");
  return list == nullptr ? std::map<std::string, std::string>{} : providers::ParseNodeEndpoints(list);
}

}  // namespace hainfra::maintenance
