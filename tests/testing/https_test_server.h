// A real HTTPS server on an ephemeral loopback port (cpp-httplib SSLServer, certificates made at start) for
// the API client's tests: it records every request and answers with whatever the test's handler says.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hainfra/value.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certificates.h"

namespace hainfra::testing {

struct RecordedRequest {
  std::string method;
  std::string path;    // decoded, as the server routes it ("/api2/json/nodes/pve 1")
  std::string target;  // raw request target with query ("/api2/json/nodes/pve%201?x=1")
  std::map<std::string, std::string> headers;  // names lower-cased
  std::map<std::string, std::string> form;     // decoded query and x-www-form-urlencoded body
  std::string body;
  int remote_port = 0;

  bool HasHeader(const std::string& name) const { return headers.count(name) != 0; }
  std::string Header(const std::string& name) const;
};

class HttpsTestServer {
 public:
  using Handler = std::function<void(const RecordedRequest& request, httplib::Response& response)>;

  // Starts serving on `host`, a loopback address (TLS unless `tls` is false). The default handler answers
  // {"data":null}. The certificate names 127.0.0.1, ::1 and localhost only.
  explicit HttpsTestServer(bool tls = true, std::string host = "127.0.0.1");
  ~HttpsTestServer();
  HttpsTestServer(const HttpsTestServer&) = delete;
  HttpsTestServer& operator=(const HttpsTestServer&) = delete;

  void SetHandler(Handler handler);

  // "https://127.0.0.1:PORT" (or http://).
  std::string endpoint() const;
  int port() const { return port_; }
  const TestCertificates& certificates() const { return certs_; }

  std::vector<RecordedRequest> Requests() const;
  size_t RequestCount() const;
  // TCP connections that carried at least one request (distinct client ports).
  size_t ConnectionCount() const;
  // The most requests the handler ever ran at the same time.
  int MaxConcurrency() const { return max_in_flight_.load(); }

  // Answers with Proxmox's JSON envelope: {"data": data} (plus "message" for errors), status and reason.
  static void Reply(httplib::Response& response, int status, const Value& envelope, const std::string& reason = "");

 private:
  void Handle(const httplib::Request& request, httplib::Response& response);

  TempDir dir_{"https"};
  TestCertificates certs_;
  bool tls_;
  std::string host_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mu_;
  Handler handler_;
  std::vector<RecordedRequest> requests_;
  std::set<int> client_ports_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
};

// Decodes `a=1&b=x%20y` (also `+` as space).
std::map<std::string, std::string> DecodeForm(const std::string& text);

}  // namespace hainfra::testing
