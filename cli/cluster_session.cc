#include "cli/cluster_session.h"

#include <map>
#include <string>

#include "engine/spec/secrets.h"
#include "providers/registry.h"
#include "providers/transport/api_client.h"
#include "providers/transport/api_settings.h"
#include "providers/transport/pve_version.h"
#include "providers/transport/ssh_client.h"
#include "providers/transport/ssh_settings.h"

namespace hainfra::cli {
namespace {

const Value& Member(const Value& object, const char* key) {
  static const Value kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// node name -> `address` as written in `nodes[]`, for the SSH client.
std::map<std::string, std::string> NodeAddresses(const Spec& spec) {
  std::map<std::string, std::string> out;
  for (const Resource* node : spec.OfKind("node")) {
    const Value& address = Member(node->body, "address");
    if (address.is_string()) out[node->address.name] = address.get<std::string>();
  }
  return out;
}

}  // namespace

Result<Value> ResolveApiSecrets(const Value& api, const transport::EnvLookup& env) {
  if (!api.is_object()) return api;
  Value out = api;
  const std::pair<const char*, const char*> kSecrets[] = {{"secret", "HAINFRA_API_SECRET"},
                                                           {"password", "HAINFRA_API_PASSWORD"}};
  for (const auto& [key, variable] : kSecrets) {
    auto it = out.find(key);
    if (it == out.end()) continue;
    if (env && env(variable)) {  // the environment wins: the spec's reference is not needed
      out.erase(key);
      continue;
    }
    if (!it->is_string()) continue;  // the settings parser reports the type
    Result<std::string> value = spec::ResolveSecret(it->get<std::string>());
    if (!value) return Fail(WithContext(value.error(), std::string("cluster.api.") + key));
    *it = *value;
  }
  return out;
}

Result<std::unique_ptr<ClusterSession>> ClusterSession::Open(const Spec& spec, const transport::EnvLookup& env,
                                                             transport::LogSink log) {
  const std::vector<const Resource*> clusters = spec.OfKind("cluster");
  const Value cluster = clusters.empty() ? Value::object() : clusters.front()->body;

  Result<Value> api = ResolveApiSecrets(Member(cluster, "api"), env);
  if (!api) return Fail(api.error());
  Result<transport::ApiSettings> api_settings = transport::ResolveApiSettings(*api, env);
  if (!api_settings) return Fail(api_settings.error());
  Result<transport::SshSettings> ssh_settings =
      transport::ResolveSshSettings(Member(cluster, "ssh"), NodeAddresses(spec), env);
  if (!ssh_settings) return Fail(ssh_settings.error());

  std::unique_ptr<ClusterSession> session(new ClusterSession());
  Result<std::unique_ptr<transport::ApiClient>> client =
      transport::ApiClient::Create(std::move(*api_settings), transport::ApiHooks{log, {}, {}, {}});
  if (!client) return Fail(client.error());
  session->api_ = std::move(*client);
  // SSH sessions open on a node's first command, so a run whose kinds never use SSH never connects.
  // HAINFRA_SSH=off runs API-only (no root SSH to the nodes): the SSH kinds then say they cannot act, and
  // apply needs --no-lock, since the cluster lock lives in /etc/pve and is taken over SSH.
  const std::optional<std::string> ssh_switch = env ? env("HAINFRA_SSH") : std::nullopt;
  if (ssh_switch && *ssh_switch != "off" && *ssh_switch != "on") {
    return Fail(Code::kInvalidArgument, "HAINFRA_SSH: expected `on` or `off`, got `" + *ssh_switch + "`");
  }
  if (!ssh_switch || *ssh_switch == "on") {
    Result<std::unique_ptr<transport::SshClient>> ssh =
        transport::SshClient::Create(std::move(*ssh_settings), transport::SshHooks{log});
    if (!ssh) return Fail(ssh.error());
    session->ssh_ = std::move(*ssh);
  }

  Result<transport::PveVersion> version = transport::FetchPveVersion(*session->api_);
  if (!version) return Fail(WithContext(version.error(), "reading the Proxmox VE version"));

  session->deps_ = providers::KindDeps{session->api_.get(), session->ssh_.get(), *version, {}};
  session->kinds_ = providers::MakeKinds(session->deps_);
  return session;
}

std::vector<ResourceKind*> ClusterSession::kinds() const {
  std::vector<ResourceKind*> out;
  out.reserve(kinds_.size());
  for (const auto& kind : kinds_) out.push_back(kind.get());
  return out;
}

}  // namespace hainfra::cli
