// Private to the API client: the state its two halves share. api_client.cc owns the curl side (one attempt
// over a pooled connection); api_calls.cc owns the request loop (auth, retries, tickets, public calls).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "providers/transport/api_client.h"
#include "providers/transport/api_error.h"
#include "providers/transport/api_path.h"
#include "providers/transport/redactor.h"
#include "providers/transport/ticket_cache.h"

namespace hainfra::transport {

// Proxmox tickets are valid for two hours; renew well before, so a long apply never holds a stale one.
inline constexpr auto kTicketRenewAfter = std::chrono::minutes(90);

enum class AuthMode { kNone, kToken, kTicket };

// The pooled curl handles, defined where curl is known (api_client.cc).
struct CurlPool;
struct CurlPoolDeleter {
  void operator()(CurlPool* pool) const;
};
std::unique_ptr<CurlPool, CurlPoolDeleter> MakeCurlPool(int max_connections);

struct ApiClient::Impl {
  using Clock = std::chrono::steady_clock;

  ApiSettings settings;
  ApiHooks hooks;
  std::string base_url;
  std::unique_ptr<CurlPool, CurlPoolDeleter> curl_pool;
  ApiMetrics metrics;
  Redactor redactor;
  TicketCache tickets{kTicketRenewAfter};
  std::mutex random_mu;
  std::mt19937_64 random_engine{std::random_device{}()};

  Impl(ApiSettings s, ApiHooks h, std::string base)
      : settings(std::move(s)),
        hooks(std::move(h)),
        base_url(std::move(base)),
        curl_pool(MakeCurlPool(settings.max_connections)) {}

  Clock::time_point Now() const { return hooks.now ? hooks.now() : Clock::now(); }

  double Random() {
    if (hooks.random) return hooks.random();
    std::lock_guard lock(random_mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_engine);
  }

  void AddSecret(std::string_view secret) {
    redactor.Add(secret);
    redactor.Add(EncodeFormComponent(secret));
  }

  // One attempt over a pooled connection (api_client.cc: the curl side).
  HttpOutcome Perform(const Request& request, const std::string& form, AuthMode auth, const Ticket& ticket);
  // The request loop: auth, retries with backoff, one re-login on 401 (api_calls.cc).
  Result<Value> Execute(const Request& request, AuthMode auth);
  Result<Ticket> Login();
};

}  // namespace hainfra::transport
