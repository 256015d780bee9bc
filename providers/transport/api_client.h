// The Proxmox VE API client: HTTPS with keep-alive over a bounded pool of connections, API-token or
// root@pam-ticket auth, TLS pinning, retries with backoff, task waiting. Thread-safe; the only user of curl.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/api_counters.h"
#include "providers/transport/api_settings.h"
#include "providers/transport/task_waiter.h"
#include "providers/transport/transport_log.h"

namespace hainfra::transport {

// Initialises libcurl once per process (curl_global_init). The composition root calls it before it starts
// threads; ApiClient::Create calls it too, so forgetting it is harmless. Thread-safe and idempotent.
void InitApiTransport();

enum class Method { kGet, kPost, kPut, kDelete };
std::string_view MethodName(Method method);

enum class Auth {
  kDefault,  // the API token when configured, else the ticket
  kTicket,   // the root@pam ticket: for the calls Proxmox allows only to root@pam (cluster join, …)
  kNone,     // no credentials: the calls anyone may make (a login that checks a user's password)
};

struct Request {
  Method method = Method::kGet;
  std::string path;                // below /api2/json, built with ApiPath() from spec values
  Value params = Value::object();  // query (GET, DELETE) or form body (POST, PUT)
  Auth auth = Auth::kDefault;
  std::optional<bool> idempotent;  // default: GET, PUT, DELETE yes; POST no (see retry_policy.h)
  std::optional<std::chrono::milliseconds> timeout;  // default: settings.request_timeout
};

// The seams of the client: where warnings go, what time it is, how to wait, the jitter's randomness.
struct ApiHooks {
  LogSink log;                                                // default: dropped
  std::function<std::chrono::steady_clock::time_point()> now; // default: steady_clock::now
  std::function<void(std::chrono::milliseconds)> sleep;       // default: this_thread::sleep_for
  std::function<double()> random;                             // [0, 1); default: a seeded generator
};

class ApiClient {
 public:
  // Validates the settings, warns through hooks.log when TLS verification is off. No request is sent yet.
  static Result<std::unique_ptr<ApiClient>> Create(ApiSettings settings, ApiHooks hooks = {});
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // The `data` of Proxmox's answer envelope, or an Error naming method, path, HTTP status and message.
  Result<Value> Get(std::string_view path, const Value& params = Value::object());
  Result<Value> Post(std::string_view path, const Value& params = Value::object());
  Result<Value> Put(std::string_view path, const Value& params = Value::object());
  Result<Value> Delete(std::string_view path, const Value& params = Value::object());
  Result<Value> Send(const Request& request);

  // The whole envelope (`data` plus `total`, `changes`, …) for the few calls that need more than data.
  Result<Value> SendForEnvelope(const Request& request);

  // Waits for a task (see task_waiter.h): success for `OK` and `WARNINGS: n`; failure carries the exit
  // status and the tail of the task log; kDeadlineExceeded after `timeout`. `progress`, when set, receives
  // the task's progress lines while it runs (long downloads).
  Result<TaskResult> WaitTask(std::string_view upid, std::chrono::milliseconds timeout,
                              const std::function<void(std::string_view)>& progress = {});

  ApiCounters Counters() const;
  const ApiSettings& settings() const;

  // The client's clock and sleep (the hooks, or the real ones): task polling uses them too.
  std::chrono::steady_clock::time_point Now() const;
  void Sleep(std::chrono::milliseconds duration) const;

  // Passes a line through the redactor to the log sink.
  void Log(LogLevel level, std::string line) const;

  // `text` with every credential this client knows replaced by [redacted].
  std::string Scrub(std::string text) const;

 private:
  struct Impl;
  explicit ApiClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hainfra::transport
