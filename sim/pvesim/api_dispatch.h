// One API request from bytes to answer, as pve-http-server + PVE::HTTPServer handle it: faults,
// authentication, handler lookup (501 for unknown method/path), URI parameter conflicts, API-token and
// root@pam checks, proxying to {node} (595 when it is unreachable), schema validation (400), the handler,
// and Proxmox's JSON envelope. Independent of the HTTP library so tests can call it directly.
#pragma once

#include <map>
#include <string>

#include "sim/pvesim/simulator.h"

namespace pvesim {

struct HttpRequestView {
  std::string method;
  std::string path;   // the URI path, percent-decoded
  std::string query;  // raw query string
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string local_node;  // the node whose API received the request (empty: the entry node)
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpAnswer {
  int status = 200;
  std::string reason;  // what Proxmox puts in the status line (httplib cannot): sent as X-Pvesim-Reason
  std::string body;
  std::string content_type = "application/json;charset=UTF-8";
  bool drop = false;   // close the connection without answering
  int delay_ms = 0;    // sleep before answering
};

// Handles a request whose path starts with /api2/json.
HttpAnswer DispatchApi(Simulator& sim, const HttpRequestView& request);

// Proxmox's JSON envelope of a handler result or error.
std::string EnvelopeJson(const Reply& reply);
std::string ErrorJson(const ApiError& error);

}  // namespace pvesim
