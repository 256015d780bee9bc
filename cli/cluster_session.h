// The connection a run makes to the cluster: the API and SSH clients built from the spec's `cluster`
// settings (overridden by HAINFRA_* variables), the Proxmox version, and the resource kinds that use them.
#pragma once

#include <memory>
#include <vector>

#include "hainfra/kind.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "providers/kind_deps.h"
#include "providers/transport/environment.h"
#include "providers/transport/transport_log.h"

namespace hainfra::cli {

class ClusterSession {
 public:
  // Resolves the secrets the connection needs (only those the environment does not override), builds the
  // clients, reads GET /version, and builds the kinds. Errors name the setting, never a secret's value.
  static Result<std::unique_ptr<ClusterSession>> Open(const Spec& spec, const transport::EnvLookup& env,
                                                      transport::LogSink log);

  std::vector<ResourceKind*> kinds() const;
  providers::KindDeps& deps() { return deps_; }

 private:
  ClusterSession() = default;

  std::unique_ptr<transport::ApiClient> api_;
  std::unique_ptr<transport::SshClient> ssh_;
  providers::KindDeps deps_;
  std::vector<std::unique_ptr<ResourceKind>> kinds_;
};

// The spec's `cluster.api` with secret references resolved, leaving out the ones `env` overrides
// (HAINFRA_API_SECRET, HAINFRA_API_PASSWORD), so a run against a simulator needs no spec secrets.
Result<Value> ResolveApiSecrets(const Value& api, const transport::EnvLookup& env);

}  // namespace hainfra::cli
