// Builds ApiClients against an HttpsTestServer with recording hooks: a fake clock that sleeping advances
// (so backoff and ticket expiry cost no real time), and every log line and sleep kept for assertions.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "providers/transport/api_client.h"
#include "tests/testing/https_test_server.h"

namespace hainfra::testing {

inline constexpr char kTestTokenId[] = "hainfra@pve!ci";
inline constexpr char kTestTokenSecret[] = "0b8c7d5e-5f3a-4c1e-9d2a-7e6f5a4b3c2d";
inline constexpr char kTestPassword[] = "correct horse battery staple";

class ApiTestHarness {
 public:
  explicit ApiTestHarness(bool tls = true, std::string host = "127.0.0.1") : server(tls, std::move(host)) {}

  // Token auth, the server's certificate pinned, fast retries.
  transport::ApiSettings Settings() const;
  // The hooks: fake clock, recorded sleeps (which advance the clock), recorded log lines.
  transport::ApiHooks Hooks();
  // Creates a client or fails the test (returns nullptr then).
  std::unique_ptr<transport::ApiClient> Client(transport::ApiSettings settings);
  std::unique_ptr<transport::ApiClient> Client() { return Client(Settings()); }

  void Advance(std::chrono::milliseconds by);
  std::vector<std::string> Logs() const;
  std::vector<std::chrono::milliseconds> Sleeps() const;

  HttpsTestServer server;

 private:
  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
  std::vector<std::string> logs_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

// The Proxmox answer to a successful call: {"data": data}.
inline Value Envelope(const Value& data) { return Value{{"data", data}}; }

}  // namespace hainfra::testing
