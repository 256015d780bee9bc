#include "sim/pvesim/auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdio>
#include <ctime>
#include <regex>

namespace pvesim {

using json = nlohmann::json;

namespace {

constexpr int64_t kTicketLifetime = 2 * 3600;
constexpr int64_t kGracePeriod = 300;

std::string Base64NoPad(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string HexTime(int64_t t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08llX", static_cast<unsigned long long>(t));
  return buf;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  std::string out;
  char buf[3];
  for (unsigned char c : raw) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

}  // namespace

std::string RandomUuid() {
  std::string h = RandomHex(16);
  h[12] = '4';
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string RandomPassword() { return RandomHex(12); }

json Credentials::ToJson() const {
  return {{"root_password", root_password}, {"token_secrets", token_secrets}, {"ticket_key", ticket_key}};
}

Credentials Credentials::FromJson(const json& j) {
  Credentials c;
  if (!j.is_object()) return c;
  c.root_password = j.value("root_password", "");
  c.token_secrets = j.value("token_secrets", std::map<std::string, std::string>{});
  c.ticket_key = j.value("ticket_key", "");
  return c;
}

std::string ExtractAuthValue(const std::string& header, const std::string& name) {
  if (header.empty()) return "";
  // (?:^|\s)NAME=([^;]*)
  std::regex re("(?:^|\\s)" + name + "=([^;]*)");
  std::smatch m;
  if (!std::regex_search(header, m, re)) return "";
  return m[1];
}

Auth::Auth(Credentials credentials) : credentials_(std::move(credentials)) {
  if (credentials_.ticket_key.empty()) credentials_.ticket_key = RandomHex(32);
}

std::string Auth::Sign(const std::string& text) const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), credentials_.ticket_key.data(), static_cast<int>(credentials_.ticket_key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), md, &len);
  return Base64NoPad(md, len);
}

std::string Auth::MakeTicket(const std::string& user) const {
  // PVE:<user, ':' escaped>:<HEXTIME>::<signature>
  std::string escaped;
  for (char c : user) escaped += c == ':' ? std::string("%3A") : std::string(1, c);
  std::string plain = "PVE:" + escaped + ":" + HexTime(std::time(nullptr));
  return plain + "::" + Sign(plain);
}

std::optional<std::string> Auth::VerifyTicket(const std::string& ticket) const {
  static const std::regex re("^(PVE:\\S+)::([^:\\s]+)$");
  static const std::regex plain_re("^PVE:(?:(\\S+):)?([A-Z0-9]{8})$");
  std::smatch m, p;
  if (!std::regex_match(ticket, m, re)) return std::nullopt;
  std::string plain = m[1];
  if (Sign(plain) != m[2].str()) return std::nullopt;
  if (!std::regex_match(plain, p, plain_re) || !p[1].matched) return std::nullopt;
  int64_t age = static_cast<int64_t>(std::time(nullptr)) - std::stoll(p[2], nullptr, 16);
  if (age <= -kGracePeriod || age >= kTicketLifetime) return std::nullopt;
  std::string user;
  std::string data = p[1];
  for (size_t i = 0; i < data.size(); ++i) {
    if (data.compare(i, 3, "%3A") == 0) { user += ':'; i += 2; } else { user += data[i]; }
  }
  return user;
}

std::string Auth::MakeCsrfToken(const std::string& user) const {
  std::string ts = HexTime(std::time(nullptr));
  return ts + ":" + Sign(ts + ":" + user);
}

bool Auth::VerifyCsrfToken(const std::string& user, const std::string& token) const {
  static const std::regex re("^([A-Z0-9]{8}):(\\S+)$");
  std::smatch m;
  if (!std::regex_match(token, m, re)) return false;
  if (Sign(m[1].str() + ":" + user) != m[2].str()) return false;
  int64_t age = static_cast<int64_t>(std::time(nullptr)) - std::stoll(m[1], nullptr, 16);
  return age > -kGracePeriod && age < kTicketLifetime;
}

Result<json> Auth::CreateTicket(const std::string& username_in, const std::string& password, const std::string& realm,
                                const std::string& cluster_name) {
  std::string username = username_in;
  if (!realm.empty() && username.find('@') == std::string::npos) username += "@" + realm;
  bool ok = false;
  if (username == "root@pam") {
    if (!password.empty() && password == credentials_.root_password) ok = true;
    if (!ok && password.rfind("PVE:", 0) == 0) {
      auto ticket_user = VerifyTicket(password);
      ok = ticket_user && *ticket_user == username;
    }
  }
  // Do not tell which part was wrong (pve-access-control prevents user enumeration).
  if (!ok) return Raise(401, "authentication failure");
  json cap = {
      {"vms", {{"VM.Allocate", 1}, {"VM.Audit", 1}, {"VM.Config.Disk", 1}, {"VM.Config.Network", 1},
               {"VM.Config.Options", 1}, {"VM.Migrate", 1}, {"VM.PowerMgmt", 1}, {"Permissions.Modify", 1}}},
      {"storage", {{"Datastore.Allocate", 1}, {"Datastore.AllocateSpace", 1}, {"Datastore.Audit", 1},
                   {"Permissions.Modify", 1}}},
      {"access", {{"User.Modify", 1}, {"Group.Allocate", 1}, {"Permissions.Modify", 1}}},
      {"nodes", {{"Sys.Audit", 1}, {"Sys.Console", 1}, {"Sys.Modify", 1}, {"Sys.PowerMgmt", 1}, {"Sys.Syslog", 1},
                 {"Permissions.Modify", 1}}},
      {"dc", {{"Sys.Audit", 1}, {"Sys.Modify", 1}, {"SDN.Allocate", 1}, {"SDN.Audit", 1}, {"SDN.Use", 1}}},
      {"sdn", {{"SDN.Allocate", 1}, {"SDN.Audit", 1}, {"SDN.Use", 1}, {"Permissions.Modify", 1}}},
      {"mapping", {{"Mapping.Audit", 1}, {"Mapping.Modify", 1}, {"Mapping.Use", 1}, {"Permissions.Modify", 1}}},
  };
  json res = {{"username", username}, {"ticket", MakeTicket(username)},
              {"CSRFPreventionToken", MakeCsrfToken(username)}, {"cap", cap}};
  if (!cluster_name.empty()) res["clustername"] = cluster_name;
  return res;
}

Result<Caller> Auth::Authenticate(const std::string& method, bool open, const std::string& cookie_header,
                                  const std::string& authorization_header, const std::string& csrf_header) const {
  std::string ticket = ExtractAuthValue(cookie_header, "PVEAuthCookie");
  if (ticket.empty()) ticket = ExtractAuthValue(authorization_header, "PVEAuthCookie");
  std::string api_token;
  if (ticket.empty()) api_token = ExtractAuthValue(authorization_header, "PVEAPIToken");
  if (open) {
    // No credentials are checked, but a token still counts as token use (allowtoken checks).
    if (!api_token.empty()) {
      std::string tokenid = api_token.substr(0, api_token.rfind('='));
      auto bang = tokenid.find('!');
      if (bang != std::string::npos) return Caller{tokenid.substr(0, bang), tokenid.substr(bang + 1)};
    }
    return Caller{};
  }
  auto bare = [](const std::string& msg) { return Fail(ApiError{401, msg + "\n", {}, true}); };
  if (!api_token.empty()) {
    auto eq = api_token.rfind('=');
    if (eq == std::string::npos) return bare("Authentication failed!");
    std::string tokenid = api_token.substr(0, eq), secret = api_token.substr(eq + 1);
    std::optional<std::string> stored = token_lookup_ ? token_lookup_(tokenid) : std::nullopt;
    if (!stored) {
      auto it = credentials_.token_secrets.find(tokenid);
      if (it != credentials_.token_secrets.end()) stored = it->second;
    }
    if (!stored || *stored != secret) return bare("Authentication failed!");
    auto bang = tokenid.find('!');
    return Caller{tokenid.substr(0, bang), tokenid.substr(bang + 1)};
  }
  if (ticket.empty()) return bare("No ticket");
  auto user = VerifyTicket(ticket);
  if (!user) return bare("Authentication failed!");
  if (method != "GET" && !VerifyCsrfToken(*user, csrf_header)) return bare("Permission denied - invalid csrf token");
  return Caller{*user, ""};
}

}  // namespace pvesim
