#include "providers/transport/ssh_settings.h"

#include <charconv>
#include <cmath>

namespace hainfra::transport {

namespace {

Error SshKeyError(std::string_view key, std::string_view what) {
  return Error{Code::kInvalidArgument, "cluster.ssh." + std::string(key) + ": " + std::string(what)};
}

std::optional<int> ParsePort(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) return std::nullopt;
  return port;
}

Result<std::chrono::milliseconds> SshSeconds(std::string_view key, const Value& value) {
  if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>())) {
    return Fail(SshKeyError(key, "expected a positive number of seconds"));
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(value.get<double>() * 1000.0)));
}

}  // namespace

Result<NodeAddress> ParseNodeAddress(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Fail(Code::kInvalidArgument, "node address '" + std::string(text) + "': " + std::string(why));
  };
  if (text.empty()) return bad("is empty");
  if (text.find_first_of(" \t\n/@") != std::string_view::npos) return bad("expected HOST or HOST:PORT");
  NodeAddress address;
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return bad("unclosed or empty [IPv6] address");
    address.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return address;
    if (rest.front() != ':') return bad("expected :PORT after ]");
    auto port = ParsePort(rest.substr(1));
    if (!port) return bad("invalid port");
    address.port = *port;
    return address;
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    address.host = std::string(text);
    return address;
  }
  if (text.find(':', colon + 1) != std::string_view::npos) {  // a bare IPv6 address has no port
    address.host = std::string(text);
    return address;
  }
  if (colon == 0) return bad("has no host");
  auto port = ParsePort(text.substr(colon + 1));
  if (!port) return bad("invalid port");
  address.host = std::string(text.substr(0, colon));
  address.port = *port;
  return address;
}

Result<std::map<std::string, NodeAddress>> ParseNodeAddresses(std::string_view text) {
  std::map<std::string, NodeAddress> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    if (!item.empty()) {
      size_t eq = item.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return Fail(Code::kInvalidArgument, "HAINFRA_SSH_ADDRESSES: expected NODE=HOST[:PORT], got '" +
                                                std::string(item) + "'");
      }
      auto address = ParseNodeAddress(item.substr(eq + 1));
      if (!address) return Fail(WithContext(address.error(), "HAINFRA_SSH_ADDRESSES"));
      out[std::string(item.substr(0, eq))] = *address;
    }
    start = end + 1;
  }
  return out;
}

Result<SshSettings> SshSettingsFromSpec(const Value& ssh) {
  SshSettings settings;
  if (ssh.is_null()) return settings;
  if (!ssh.is_object()) return Fail(Code::kInvalidArgument, "cluster.ssh: expected a mapping of settings");
  for (const auto& [key, value] : ssh.items()) {
    if (key == "user" || key == "identity" || key == "known_hosts" || key == "ssh_config") {
      if (!value.is_string() || value.get<std::string>().empty()) return Fail(SshKeyError(key, "expected a non-empty string"));
      std::string text = value.get<std::string>();
      if (key == "user") settings.user = text;
      if (key == "identity") settings.identity = text;
      if (key == "known_hosts") settings.known_hosts = text;
      if (key == "ssh_config") settings.ssh_config = text;
    } else if (key == "port") {
      if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 65535) {
        return Fail(SshKeyError(key, "expected a port number 1-65535"));
      }
      settings.port = value.get<int>();
    } else if (key == "trust_on_first_use" || key == "use_ssh_config") {
      if (!value.is_boolean()) return Fail(SshKeyError(key, "expected true or false"));
      (key == "trust_on_first_use" ? settings.trust_on_first_use : settings.use_ssh_config) = value.get<bool>();
    } else if (key == "connect_timeout" || key == "timeout") {
      auto ms = SshSeconds(key, value);
      if (!ms) return Fail(ms.error());
      (key == "timeout" ? settings.command_timeout : settings.connect_timeout) = *ms;
    } else {
      return Fail(SshKeyError(key, "unknown key (known: user, identity, known_hosts, port, trust_on_first_use, "
                                "use_ssh_config, ssh_config, connect_timeout, timeout)"));
    }
  }
  return settings;
}

Status ApplySshEnvironment(SshSettings& settings, const EnvLookup& env) {
  if (!env) return Ok();
  if (auto v = env("HAINFRA_SSH_USER")) settings.user = *v;
  if (auto v = env("HAINFRA_SSH_IDENTITY")) settings.identity = *v;
  if (auto v = env("HAINFRA_SSH_KNOWN_HOSTS")) settings.known_hosts = *v;
  if (auto v = env("HAINFRA_SSH_PORT")) {
    auto port = ParsePort(*v);
    if (!port) return Fail(Code::kInvalidArgument, "HAINFRA_SSH_PORT: expected a port number 1-65535");
    settings.port = *port;
  }
  if (auto v = env("HAINFRA_SSH_ADDRESSES")) {
    auto addresses = ParseNodeAddresses(*v);
    if (!addresses) return Fail(addresses.error());
    for (auto& [node, address] : *addresses) settings.addresses[node] = address;
  }
  return Ok();
}

Result<SshSettings> ResolveSshSettings(const Value& spec_ssh, const std::map<std::string, std::string>& node_addresses,
                                       const EnvLookup& env) {
  auto settings = SshSettingsFromSpec(spec_ssh);
  if (!settings) return settings;
  for (const auto& [node, text] : node_addresses) {
    auto address = ParseNodeAddress(text);
    if (!address) return Fail(WithContext(address.error(), "nodes." + node + ".address"));
    settings->addresses[node] = *address;
  }
  if (auto st = ApplySshEnvironment(*settings, env); !st) return Fail(st.error());
  settings->identity = ExpandHome(settings->identity, env);
  settings->known_hosts = ExpandHome(settings->known_hosts, env);
  settings->ssh_config = ExpandHome(settings->ssh_config, env);
  if (settings->user.empty()) return Fail(Code::kInvalidArgument, "cluster.ssh.user must not be empty");
  return settings;
}

}  // namespace hainfra::transport
