// Settings of the PVE API client: the spec's `cluster.api` values, overridden by HAINFRA_* environment
// variables (CI jobs, tests), then validated. Secrets arrive already resolved (`${env:…}` done by the loader).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/environment.h"
#include "providers/transport/retry_policy.h"
#include "providers/transport/secret.h"

namespace hainfra::transport {

struct ApiSettings {
  std::string endpoint;                 // "https://10.0.0.11:8006" (port 8006 when left out)
  std::string token_id;                 // "hainfra@pve!ci": API token auth, the default
  Secret token_secret;                  // the token's UUID secret
  std::string ticket_user = "root@pam";  // who logs in for the root@pam-only calls
  Secret password;                      // that user's password (ticket login)
  std::string tls_fingerprint;          // pinned certificate, canonical "AB:CD:…"
  std::string ca_file;                  // PEM file of CAs to trust instead of the system store
  bool insecure = false;                // no TLS verification at all (warned on every run)
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{120'000};
  // When set (> 0): caps every task wait, whatever a kind allows its tasks (HAINFRA_TASK_TIMEOUT, seconds).
  std::chrono::milliseconds task_timeout{0};
  int max_connections = 8;              // concurrent requests (and kept-alive connections)
  RetryPolicy retry;
  size_t max_response_bytes = size_t{256} << 20;

  bool HasToken() const { return !token_id.empty() && !token_secret.empty(); }
  bool HasPassword() const { return !password.empty(); }
};

// Reads `cluster.api` (an object; null or absent gives defaults). Keys: endpoint, token, secret, password,
// user, tls_fingerprint, ca_file, insecure, connect_timeout, timeout (seconds), max_connections.
// A token written as `USER@REALM!ID=SECRET` is split. Errors name the key, never a secret's value.
Result<ApiSettings> ApiSettingsFromSpec(const Value& api);

// Overrides from HAINFRA_API_ENDPOINT, HAINFRA_API_TOKEN, HAINFRA_API_SECRET, HAINFRA_API_PASSWORD,
// HAINFRA_API_USER, HAINFRA_TLS_FINGERPRINT, HAINFRA_CA_FILE, HAINFRA_API_INSECURE (1/0),
// HAINFRA_TASK_TIMEOUT (seconds, a cap on every task wait).
Status ApplyApiEnvironment(ApiSettings& settings, const EnvLookup& env);

// Checks what a client needs: an endpoint, credentials, a well-formed fingerprint, sane numbers.
Status ValidateApiSettings(const ApiSettings& settings);

// "https://host:8006/api2/json" from an endpoint written as https://host[:port][/api2/json][/].
Result<std::string> ApiBaseUrl(const std::string& endpoint);

// Spec values, then the environment, then validation: the settings a run uses.
Result<ApiSettings> ResolveApiSettings(const Value& spec_api, const EnvLookup& env);

}  // namespace hainfra::transport
