// Authentication as pve-http-server and pve-access-control do it: root@pam tickets (POST /access/ticket,
// cookie PVEAuthCookie, 2 h lifetime, renewal by passing a ticket as password), CSRFPreventionToken on
// non-GET ticket requests, API tokens (Authorization: PVEAPIToken=user@realm!id=secret).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

// Who is calling: user "root@pam", or a token "root@pam!hainfra" (user + tokenid).
struct Caller {
  std::string user;
  std::string tokenid;  // empty for ticket authentication
  bool via_token() const { return !tokenid.empty(); }
  // The identity PVE compares against 'root@pam' and writes into UPIDs.
  std::string Userid() const { return tokenid.empty() ? user : user + "!" + tokenid; }
};

struct Credentials {
  std::string root_password;
  std::map<std::string, std::string> token_secrets;  // "root@pam!hainfra" -> secret
  std::string ticket_key;                            // HMAC key of tickets and CSRF tokens

  nlohmann::json ToJson() const;
  static Credentials FromJson(const nlohmann::json& j);
};

class Auth {
 public:
  explicit Auth(Credentials credentials);

  // POST /access/ticket: password (or a valid ticket of the same user) -> {username, ticket, CSRFPreventionToken, cap}.
  Result<nlohmann::json> CreateTicket(const std::string& username, const std::string& password,
                                      const std::string& realm, const std::string& cluster_name);

  // Authenticates a request to `rel_uri`; errors are 401 "bare" (no body), as pve-http-server answers.
  // `open` endpoints (GET/POST /access/ticket, GET /access/domains) need no credentials.
  Result<Caller> Authenticate(const std::string& method, bool open, const std::string& cookie_header,
                              const std::string& authorization_header, const std::string& csrf_header) const;

  std::string MakeTicket(const std::string& user) const;
  std::string MakeCsrfToken(const std::string& user) const;
  // The user of a valid ticket, or nullopt.
  std::optional<std::string> VerifyTicket(const std::string& ticket) const;
  bool VerifyCsrfToken(const std::string& user, const std::string& token) const;

  const Credentials& credentials() const { return credentials_; }

  // Where token secrets created through the API live (priv/token.cfg): consulted before the start-up
  // credentials. Set once before serving.
  using TokenSecretLookup = std::function<std::optional<std::string>(const std::string& tokenid)>;
  void SetTokenSecretLookup(TokenSecretLookup lookup) { token_lookup_ = std::move(lookup); }

 private:
  std::string Sign(const std::string& text) const;

  Credentials credentials_;
  TokenSecretLookup token_lookup_;
};

// Extracts NAME=value from a Cookie or Authorization header (PVE::APIServer::Formatter::extract_auth_value).
std::string ExtractAuthValue(const std::string& header, const std::string& name);

// A random secret in the form of a UUID (token secrets look like this).
std::string RandomUuid();
std::string RandomPassword();

}  // namespace pvesim
