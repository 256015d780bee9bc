// The API's route table: (method, path template) -> handler, with the facts pve-http-server needs before
// calling a handler (proxy to {node}, root@pam only, no API tokens, no auth, PVE 8/9 only).
// Handler modules add their routes in one explicit list (routes.cc); nothing registers itself.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/error.h"
#include "sim/pvesim/params.h"

namespace pvesim {

class Simulator;

// A handler's answer: `data` plus the envelope extras some endpoints set.
struct Reply {
  Reply(nlohmann::json d = nullptr) : data(std::move(d)) {}  // NOLINT(google-explicit-constructor)
  nlohmann::json data;
  // GET /nodes/{node}/network's diff; null: absent. (Not std::optional<json>: GCC 12 warns falsely on its
  // move at -O2 with the sanitizers.)
  nlohmann::json changes;
  std::optional<long long> total;         // task lists and logs
};

// One API call as a handler sees it: parameters merged with the path's, the caller, the executing node.
struct Call {
  std::string method;
  std::string path;
  Params params;
  Caller caller;
  std::string node;   // the node the request runs on (the proxy target, or the local node)
  std::string local;  // the node whose API received the request
  Simulator& sim;
};

using Handler = std::function<Result<Reply>(Call&)>;

enum RouteFlags : unsigned {
  kNoFlags = 0,
  kProxyNode = 1u << 0,  // proxyto => 'node': runs on {node}, which must be reachable
  kRootOnly = 1u << 1,   // no `permissions` in the schema: only root@pam (tokens are not root@pam)
  kNoToken = 1u << 2,    // allowtoken => 0
  kOpen = 1u << 3,       // no authentication (POST/GET /access/ticket)
  kPve8Only = 1u << 4,
  kPve9Only = 1u << 5,
};

struct Route {
  std::string method;
  std::string path;
  unsigned flags = kNoFlags;
  Handler handler;
};

class RouteTable {
 public:
  void Add(std::string method, std::string path, unsigned flags, Handler handler);
  // Serves `path` with the handler already registered for (method, existing).
  void Alias(const std::string& method, const std::string& existing, std::string path);

  struct Found {
    const Route* route = nullptr;
    bool path_found = false;
    std::map<std::string, std::string> path_params;
  };
  // Literal segments win over {params}; routes of the other PVE version are invisible.
  Found Find(const std::string& method, const std::string& path, int pve) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

// Every handler module's routes (routes.cc: one line per module).
void RegisterAllRoutes(RouteTable& table);

}  // namespace pvesim
