// `hainfra bootstrap-token`: logs in with a password (root@pam by default) and creates what hainfra's own
// API token needs — a role with exactly the privileges of the kinds the spec uses, a user, a privilege-
// separated token, and the ACLs of user and token on `/` — then writes the token's secret once to a 0600
// file and prints the `cluster.api` lines to paste. Idempotent: what exists and matches is left alone;
// `--dry-run` only shows the steps.
#pragma once

#include <string>

#include "cli/command_options.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "providers/transport/api_client.h"
#include "providers/transport/environment.h"

namespace hainfra::cli {

struct BootstrapTokenOptions {
  std::string login_user = "root@pam";         // who logs in (--user)
  std::string token;  // the token to create (--token USER@REALM!ID); empty: the spec's cluster.api.token,
                      // else hainfra@pve!hainfra
  std::string role = "Hainfra";                // the role to create (--role)
  std::string secret_file = "hainfra-token.secret";  // where the new secret is written (--secret-file)
  bool dry_run = false;
  bool regenerate = false;  // the token exists: give it a new secret (the old one stops working)
};

// The API settings of the login: the spec's endpoint and TLS settings (HAINFRA_* overrides apply), no token,
// `user` with `password`.
Result<transport::ApiSettings> BootstrapLoginSettings(const Spec& spec, const transport::EnvLookup& env,
                                                      const std::string& user, const std::string& password);

// A password from a file: its first line (a trailing newline is no part of it).
Result<std::string> ReadPasswordFile(const std::string& path);

// Runs the bootstrap over `api` (logged in as the options' user); exit code kExitOk or kExitError.
int RunBootstrapToken(const Spec& spec, transport::ApiClient& api, const BootstrapTokenOptions& options,
                      Console& console);

}  // namespace hainfra::cli
