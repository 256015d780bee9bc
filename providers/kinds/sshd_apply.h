// Changing a node's sshd drop-in without locking anyone out: write it atomically (the previous version kept),
// `sshd -t`, reload, then prove that a FRESH connection (new session, strict host key) still logs in — and
// otherwise restore the previous file over the session still open, reload again and fail with why.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "hainfra/result.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

struct SshdApplyOptions {
  // Opens a new connection to the node and logs in (never the session `ssh` holds). Default: a new SshClient
  // with the same settings running `true`.
  std::function<Status(const std::string& node)> fresh_login;
  // How long a fresh login may keep failing with kUnavailable after the reload: sshd re-executes itself on
  // SIGHUP, so for a moment nothing listens.
  std::chrono::milliseconds settle{10'000};
  // `systemctl reload ssh` returns once SIGHUP is sent, before sshd re-executes: a login in that moment is
  // still served with the old configuration. So the check waits this long first, and logs in twice, this
  // long apart — both must succeed.
  std::chrono::milliseconds reload_settle{500};
};

// Puts `content` in place as the drop-in at `path` on `node` and makes sshd use it, or leaves the node as it
// was. Errors: kInvalidArgument (sshd -t refused the file), kFailedPrecondition (locked out: rolled back),
// transport errors as they come.
Status ApplySshdDropIn(transport::SshClient& ssh, const std::string& node, const std::string& path,
                       const std::string& content, const SshdApplyOptions& options = {});

// The default fresh-login check: a new SshClient with `settings`, `true` on `node`, retried while it is
// kUnavailable for up to `settle`.
Status FreshLogin(const transport::SshSettings& settings, const std::string& node, std::chrono::milliseconds settle);

}  // namespace hainfra::providers
