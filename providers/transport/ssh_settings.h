// Settings of the SSH client: the spec's `cluster.ssh` values and each node's address, overridden by
// HAINFRA_SSH_* environment variables (CI jobs, tests, labs), then validated.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/environment.h"

namespace hainfra::transport {

// Where a node's sshd listens. port 0 means the settings' default port.
struct NodeAddress {
  std::string host;
  int port = 0;
};

struct SshSettings {
  std::string user = "root";
  std::string identity;                      // private key file; empty: authenticate with ssh-agent
  std::string known_hosts = "~/.ssh/known_hosts";
  int port = 22;
  bool trust_on_first_use = false;           // accept and record an unknown host key (never a changed one)
  bool use_ssh_config = false;               // honour an OpenSSH client config (Host, HostName, User, Port, …)
  std::string ssh_config = "~/.ssh/config";  // which config, when use_ssh_config
  std::string agent_socket;                  // ssh-agent socket; empty: $SSH_AUTH_SOCK
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds command_timeout{600'000};  // default for Run
  size_t max_output_bytes = size_t{64} << 20;           // per stream of one command
  std::map<std::string, NodeAddress> addresses;         // node name -> address (nodes' `address`, overrides)
};

// "10.0.0.11", "10.0.0.11:2222", "pve-01.lab", "[fd00::11]:22" or a bare IPv6 address.
Result<NodeAddress> ParseNodeAddress(std::string_view text);

// "pve-01=10.1.0.1:22,pve-02=10.1.0.2" (HAINFRA_SSH_ADDRESSES).
Result<std::map<std::string, NodeAddress>> ParseNodeAddresses(std::string_view text);

// Reads `cluster.ssh` (an object; null or absent gives defaults). Keys: user, identity, known_hosts, port,
// trust_on_first_use, use_ssh_config, ssh_config, connect_timeout, timeout (seconds).
Result<SshSettings> SshSettingsFromSpec(const Value& ssh);

// Overrides from HAINFRA_SSH_USER, HAINFRA_SSH_IDENTITY, HAINFRA_SSH_KNOWN_HOSTS, HAINFRA_SSH_PORT,
// HAINFRA_SSH_ADDRESSES (merged over the nodes' own addresses).
Status ApplySshEnvironment(SshSettings& settings, const EnvLookup& env);

// Spec values, the nodes' addresses (node -> address as written in `nodes[].address`), the environment,
// `~/` expanded: the settings a run uses.
Result<SshSettings> ResolveSshSettings(const Value& spec_ssh, const std::map<std::string, std::string>& node_addresses,
                                       const EnvLookup& env);

}  // namespace hainfra::transport
