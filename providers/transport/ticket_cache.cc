#include "providers/transport/ticket_cache.h"

namespace hainfra::transport {

Result<Ticket> ParseTicketAnswer(const Value& data, const std::string& user) {
  if (data.is_object() && data.contains("NeedTFA") && data["NeedTFA"] != 0) {
    return Fail(Code::kPermissionDenied,
                "login as " + user + ": two-factor authentication is required; use an API token instead");
  }
  if (!data.is_object() || !data.contains("ticket") || !data["ticket"].is_string() ||
      !data.contains("CSRFPreventionToken") || !data["CSRFPreventionToken"].is_string()) {
    return Fail(Code::kInternal, "login as " + user + ": the answer carries no ticket and CSRF token");
  }
  return Ticket{data["ticket"].get<std::string>(), data["CSRFPreventionToken"].get<std::string>(), 0};
}

Result<Ticket> TicketCache::Get(Clock::time_point now, uint64_t rejected_generation, const Login& login) {
  std::lock_guard login_lock(login_mu_);
  {
    std::lock_guard lock(mu_);
    bool fresh = current_.generation != 0 && now - obtained_ < renew_after_;
    if (fresh && current_.generation != rejected_generation) return current_;
  }
  auto fresh = login();
  if (!fresh) return fresh;
  std::lock_guard lock(mu_);
  fresh->generation = current_.generation + 1;
  current_ = *fresh;
  obtained_ = now;
  return current_;
}

}  // namespace hainfra::transport
