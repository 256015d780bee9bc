// The root@pam ticket of the API client: one login shared by all threads, renewed before Proxmox's
// two-hour expiry, and replaced at once when the server rejects it (401).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::transport {

struct Ticket {
  std::string ticket;  // the PVEAuthCookie value
  std::string csrf;    // CSRFPreventionToken, sent on every non-GET request
  uint64_t generation = 0;  // grows with every login; 0 = none yet
};

// The ticket and CSRF token out of POST /access/ticket's data; refuses TFA-protected users clearly.
Result<Ticket> ParseTicketAnswer(const Value& data, const std::string& user);

class TicketCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Login = std::function<Result<Ticket>()>;

  explicit TicketCache(Clock::duration renew_after) : renew_after_(renew_after) {}

  // A usable ticket: the cached one while younger than `renew_after` and not the generation the caller saw
  // rejected (`rejected_generation`, 0 for none); otherwise the result of `login`. Logins are serialised:
  // threads that wait for one reuse its ticket.
  Result<Ticket> Get(Clock::time_point now, uint64_t rejected_generation, const Login& login);

 private:
  const Clock::duration renew_after_;
  std::mutex login_mu_;  // held across a login
  std::mutex mu_;        // guards the fields below
  Ticket current_;
  Clock::time_point obtained_{};
};

}  // namespace hainfra::transport
