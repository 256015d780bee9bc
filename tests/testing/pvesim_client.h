// A small API client for pvesim tests, built on cpp-httplib (not hainfra's transports, which are tested
// against pvesim themselves): token or ticket auth, form and JSON bodies, task waiting, the control API.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/testing/pvesim_process.h"

namespace httplib {
class Client;
}

namespace hainfra::testing {

struct ApiResult {
  int status = 0;            // 0: no answer (connection failed or dropped)
  std::string reason;        // the status line text Proxmox would send (X-Pvesim-Reason)
  std::string raw;           // the body
  nlohmann::json body;       // parsed body (null when not JSON)
  nlohmann::json data() const { return body.is_object() && body.contains("data") ? body["data"] : nlohmann::json(); }
  std::string message() const { return body.is_object() ? body.value("message", std::string()) : std::string(); }
  nlohmann::json errors() const { return body.is_object() && body.contains("errors") ? body["errors"] : nlohmann::json::object(); }
};

using Form = std::map<std::string, std::string>;

class PvesimClient {
 public:
  enum class Auth { kToken, kNone };
  explicit PvesimClient(const PvesimProcess& pvesim, Auth auth = Auth::kToken);
  // Talks to another endpoint of the same pvesim (a node's own API with --node-ports); the credentials are
  // the process's.
  PvesimClient(const PvesimProcess& pvesim, const std::string& endpoint, Auth auth);
  ~PvesimClient();

  // POST /access/ticket with root@pam's password; later calls use the ticket (and CSRF token on writes).
  bool Login();
  void SetTicket(const std::string& ticket, const std::string& csrf);

  ApiResult Get(const std::string& path, const Form& query = {});
  ApiResult Post(const std::string& path, const Form& form = {});
  ApiResult Put(const std::string& path, const Form& form = {});
  ApiResult Delete(const std::string& path, const Form& query = {});
  ApiResult PostJson(const std::string& path, const nlohmann::json& body);
  ApiResult PutJson(const std::string& path, const nlohmann::json& body);
  // Any method with raw headers (for auth tests).
  ApiResult Raw(const std::string& method, const std::string& path, const std::map<std::string, std::string>& headers,
                const std::string& body = "", const std::string& content_type = "");

  // Polls the task's status until it stopped; returns its exitstatus ("" on timeout).
  std::string WaitTask(const std::string& upid, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // The control API (/pvesim/...), JSON in and out.
  ApiResult Control(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

 private:
  std::map<std::string, std::string> AuthHeaders(const std::string& method) const;

  const PvesimProcess& pvesim_;
  Auth auth_;
  std::string ticket_, csrf_;
  std::unique_ptr<httplib::Client> client_;
};

// "a=1&b=2" from a map (percent-encoded).
std::string EncodeForm(const Form& form);

}  // namespace hainfra::testing
