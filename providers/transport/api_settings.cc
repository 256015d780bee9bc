#include "providers/transport/api_settings.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include "providers/transport/tls_fingerprint.h"

namespace hainfra::transport {

namespace {

constexpr int kMaxConnectionsLimit = 64;
constexpr int kDefaultPort = 8006;

Error ApiKeyError(std::string_view key, std::string_view what) {
  return Error{Code::kInvalidArgument, "cluster.api." + std::string(key) + ": " + std::string(what)};
}

// `USER@REALM!ID=SECRET` (the form Proxmox shows in its Authorization header) is split in two.
void SetToken(ApiSettings& settings, const std::string& token) {
  size_t eq = token.find('=');
  if (eq == std::string::npos) {
    settings.token_id = token;
    return;
  }
  settings.token_id = token.substr(0, eq);
  settings.token_secret = Secret(token.substr(eq + 1));
}

Result<std::chrono::milliseconds> ApiSeconds(std::string_view key, const Value& value) {
  if (!value.is_number() || value.get<double>() <= 0 || !std::isfinite(value.get<double>())) {
    return Fail(ApiKeyError(key, "expected a positive number of seconds"));
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(value.get<double>() * 1000.0)));
}

Result<std::string> String(std::string_view key, const Value& value) {
  if (!value.is_string()) return Fail(ApiKeyError(key, "expected a string"));
  return value.get<std::string>();
}

bool ValidTokenId(const std::string& id) {
  // USER@REALM!TOKENID; Proxmox's token names are [A-Za-z][A-Za-z0-9._-]*.
  size_t at = id.find('@');
  size_t bang = id.find('!');
  if (at == std::string::npos || at == 0 || bang == std::string::npos || bang < at + 2 || bang + 1 >= id.size()) {
    return false;
  }
  for (char c : id) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '=' || c == ':') return false;
  }
  char first = id[bang + 1];
  return (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z');
}

}  // namespace

Result<ApiSettings> ApiSettingsFromSpec(const Value& api) {
  ApiSettings settings;
  if (api.is_null()) return settings;
  if (!api.is_object()) return Fail(Code::kInvalidArgument, "cluster.api: expected a mapping of settings");
  for (const auto& [key, value] : api.items()) {
    if (key == "endpoint" || key == "user" || key == "ca_file" || key == "tls_fingerprint" || key == "token") {
      auto text = String(key, value);
      if (!text) return Fail(text.error());
      if (key == "endpoint") settings.endpoint = *text;
      if (key == "user") settings.ticket_user = *text;
      if (key == "ca_file") settings.ca_file = *text;
      if (key == "tls_fingerprint") settings.tls_fingerprint = *text;
      if (key == "token") SetToken(settings, *text);
    } else if (key == "secret" || key == "password") {
      if (!value.is_string()) return Fail(ApiKeyError(key, "expected a string (for example ${env:NAME})"));
      (key == "secret" ? settings.token_secret : settings.password) = Secret(value.get<std::string>());
    } else if (key == "insecure") {
      if (!value.is_boolean()) return Fail(ApiKeyError(key, "expected true or false"));
      settings.insecure = value.get<bool>();
    } else if (key == "connect_timeout" || key == "timeout") {
      auto ms = ApiSeconds(key, value);
      if (!ms) return Fail(ms.error());
      (key == "timeout" ? settings.request_timeout : settings.connect_timeout) = *ms;
    } else if (key == "max_connections") {
      if (!value.is_number_integer()) return Fail(ApiKeyError(key, "expected a whole number"));
      settings.max_connections = value.get<int>();
    } else {
      return Fail(ApiKeyError(key, "unknown key (known: endpoint, token, secret, user, password, tls_fingerprint, "
                                "ca_file, insecure, connect_timeout, timeout, max_connections)"));
    }
  }
  return settings;
}

Status ApplyApiEnvironment(ApiSettings& settings, const EnvLookup& env) {
  if (!env) return Ok();
  if (auto v = env("HAINFRA_API_ENDPOINT")) settings.endpoint = *v;
  if (auto v = env("HAINFRA_API_TOKEN")) SetToken(settings, *v);
  if (auto v = env("HAINFRA_API_SECRET")) settings.token_secret = Secret(*v);
  if (auto v = env("HAINFRA_API_USER")) settings.ticket_user = *v;
  if (auto v = env("HAINFRA_API_PASSWORD")) settings.password = Secret(*v);
  if (auto v = env("HAINFRA_TLS_FINGERPRINT")) settings.tls_fingerprint = *v;
  if (auto v = env("HAINFRA_CA_FILE")) settings.ca_file = *v;
  if (auto v = env("HAINFRA_API_INSECURE")) {
    if (*v != "0" && *v != "1") return Fail(Code::kInvalidArgument, "HAINFRA_API_INSECURE: expected 1 or 0");
    settings.insecure = *v == "1";
  }
  if (auto v = env("HAINFRA_TASK_TIMEOUT")) {
    int seconds = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seconds);
    if (ec != std::errc{} || end != v->data() + v->size() || seconds < 1) {
      return Fail(Code::kInvalidArgument, "HAINFRA_TASK_TIMEOUT: expected a whole number of seconds (1 or more)");
    }
    settings.task_timeout = std::chrono::seconds(seconds);
  }
  if (auto v = env("HAINFRA_API_RETRY_DELAY_MS")) {
    int ms = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
    if (ec != std::errc{} || end != v->data() + v->size() || ms < 1 || ms > 60'000) {
      return Fail(Code::kInvalidArgument, "HAINFRA_API_RETRY_DELAY_MS: expected a whole number of milliseconds (1-60000)");
    }
    settings.retry.base_delay = std::chrono::milliseconds(ms);
  }
  return Ok();
}

Result<std::string> ApiBaseUrl(const std::string& endpoint) {
  auto bad = [&](std::string_view why) {
    return Fail(Code::kInvalidArgument, "cluster.api.endpoint: '" + endpoint + "' " + std::string(why) +
                                            " (expected https://HOST[:PORT], e.g. https://10.0.0.11:8006)");
  };
  size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) return bad("has no scheme");
  std::string scheme = endpoint.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") return bad("must use https (or http for a local simulator)");
  std::string rest = endpoint.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (!path.empty() && path != "/api2/json") return bad("has a path other than /api2/json");
  if (authority.empty()) return bad("has no host");
  if (authority.find_first_of("@?# ") != std::string::npos) return bad("must not carry user info, query or spaces");
  // The port follows the last colon, unless that colon is inside an IPv6 literal ("[::1]").
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  if (authority.front() != '[' && has_port && authority.find(':') != colon) return bad("has an unbracketed IPv6 address");
  if (has_port) {
    std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return bad("has an invalid port");
    }
    if (colon == 0) return bad("has no host");
  } else {
    authority += ":" + std::to_string(kDefaultPort);
  }
  return scheme + "://" + authority + "/api2/json";
}

Status ValidateApiSettings(const ApiSettings& settings) {
  if (settings.endpoint.empty()) {
    return Fail(Code::kInvalidArgument, "cluster.api.endpoint is not set (or set HAINFRA_API_ENDPOINT)");
  }
  if (auto base = ApiBaseUrl(settings.endpoint); !base) return Fail(base.error());
  if (!settings.token_id.empty() && !ValidTokenId(settings.token_id)) {
    // The value is not quoted: a mistyped token field may hold the secret itself.
    return Fail(Code::kInvalidArgument, "cluster.api.token: expected USER@REALM!TOKENID (like hainfra@pve!ci)");
  }
  if (!settings.token_id.empty() && settings.token_secret.empty()) {
    return Fail(Code::kInvalidArgument,
                "cluster.api.token is set but its secret is not (cluster.api.secret or HAINFRA_API_SECRET)");
  }
  if (settings.token_id.empty() && !settings.token_secret.empty()) {
    return Fail(Code::kInvalidArgument,
                "cluster.api.secret is set but the token id is not (cluster.api.token or HAINFRA_API_TOKEN)");
  }
  if (!settings.HasToken() && !settings.HasPassword()) {
    return Fail(Code::kInvalidArgument,
                "no API credentials: set cluster.api.token and secret (HAINFRA_API_TOKEN, HAINFRA_API_SECRET) "
                "or a password for " + settings.ticket_user + " (HAINFRA_API_PASSWORD)");
  }
  if (settings.ticket_user.find('@') == std::string::npos) {
    return Fail(Code::kInvalidArgument, "cluster.api.user: expected USER@REALM (like root@pam)");
  }
  if (!settings.tls_fingerprint.empty()) {
    if (auto fp = NormalizeFingerprint(settings.tls_fingerprint); !fp) {
      return Fail(Code::kInvalidArgument, "cluster.api." + fp.error().message);
    }
  }
  if (!settings.ca_file.empty() && !std::ifstream(settings.ca_file).good()) {
    return Fail(Code::kInvalidArgument, "cluster.api.ca_file: cannot read '" + settings.ca_file + "'");
  }
  if (settings.max_connections < 1 || settings.max_connections > kMaxConnectionsLimit) {
    return Fail(Code::kInvalidArgument, "cluster.api.max_connections: expected 1 to " +
                                            std::to_string(kMaxConnectionsLimit));
  }
  if (settings.retry.max_attempts < 1) {
    return Fail(Code::kInvalidArgument, "API retry policy: max_attempts must be at least 1");
  }
  return Ok();
}

Result<ApiSettings> ResolveApiSettings(const Value& spec_api, const EnvLookup& env) {
  auto settings = ApiSettingsFromSpec(spec_api);
  if (!settings) return settings;
  if (auto st = ApplyApiEnvironment(*settings, env); !st) return Fail(st.error());
  if (!settings->tls_fingerprint.empty()) {
    auto fp = NormalizeFingerprint(settings->tls_fingerprint);
    if (!fp) return Fail(Code::kInvalidArgument, "cluster.api." + fp.error().message);
    settings->tls_fingerprint = *fp;
  }
  if (auto st = ValidateApiSettings(*settings); !st) return Fail(st.error());
  return settings;
}

}  // namespace hainfra::transport
