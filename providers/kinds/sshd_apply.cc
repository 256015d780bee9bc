#include "providers/kinds/sshd_apply.h"

#include <memory>
#include <optional>
#include <thread>

namespace hainfra::providers {
namespace {

constexpr std::chrono::seconds kCommandTimeout{60};

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 600) text = "…" + text.substr(text.size() - 600);
  return text;
}

// Runs argv on the open session; a non-zero exit becomes kFailedPrecondition with its output.
Status Checked(transport::SshClient& ssh, const std::string& node, const std::vector<std::string>& argv) {
  transport::RunOptions options;
  options.timeout = kCommandTimeout;
  Result<transport::CommandResult> r = ssh.Run(node, argv, options);
  if (!r) return Fail(r.error());
  if (r->ok()) return Ok();
  const std::string output = Trimmed(r->stderr_text.empty() ? r->stdout_text : r->stderr_text);
  return Fail(Code::kFailedPrecondition, "`" + argv.front() + (argv.size() > 1 ? " " + argv[1] : "") +
                                             "` failed (exit " + std::to_string(r->exit_status) + "): " + output);
}

Status Reload(transport::SshClient& ssh, const std::string& node) {
  return Checked(ssh, node, {"systemctl", "reload", "ssh"});
}

// Puts the previous drop-in back (or removes ours when there was none) and reloads, over the open session.
Status Restore(transport::SshClient& ssh, const std::string& node, const std::string& path,
               const std::optional<std::string>& previous) {
  if (previous) {
    Result<bool> written = ssh.WriteFileAtomic(node, path, *previous, {.mode = 0644, .owner = "root:root"});
    if (!written) return Fail(written.error());
  } else if (Status removed = Checked(ssh, node, {"rm", "-f", "--", path}); !removed) {
    return removed;
  }
  if (Status valid = Checked(ssh, node, {"sshd", "-t"}); !valid) return valid;
  return Reload(ssh, node);
}

}  // namespace

Status FreshLogin(const transport::SshSettings& settings, const std::string& node, std::chrono::milliseconds settle) {
  const auto deadline = std::chrono::steady_clock::now() + settle;
  while (true) {
    Result<std::unique_ptr<transport::SshClient>> client = transport::SshClient::Create(settings);
    if (!client) return Fail(client.error());
    Result<transport::CommandResult> r = (*client)->Run(node, {"true"});
    if (r && r->ok()) return Ok();
    Error error = r ? Error{Code::kFailedPrecondition, "`true` exited " + std::to_string(r->exit_status)} : r.error();
    if (error.code != Code::kUnavailable || std::chrono::steady_clock::now() >= deadline) return Fail(error);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// The sequence (each step only after the previous one succeeded):
//   read the current drop-in -> write the new one atomically -> sshd -t -> reload -> fresh login.
// sshd -t refusing: restore the previous file (nothing was reloaded). Reload or fresh login failing: restore
// over the open session, sshd -t, reload, and report the lock-out; the node keeps its previous sshd.
Status ApplySshdDropIn(transport::SshClient& ssh, const std::string& node, const std::string& path,
                       const std::string& content, const SshdApplyOptions& options) {
  auto fresh_login = options.fresh_login;
  if (!fresh_login) {
    fresh_login = [&ssh, &options](const std::string& n) { return FreshLogin(ssh.settings(), n, options.settle); };
  }
  std::optional<std::string> previous;
  if (Result<std::string> current = ssh.ReadFile(node, path); current) {
    previous = *current;
  } else if (current.error().code != Code::kNotFound) {
    return Fail(current.error());
  }

  Result<bool> written = ssh.WriteFileAtomic(node, path, content, {.mode = 0644, .owner = "root:root"});
  if (!written) return Fail(WithContext(written.error(), "writing " + path));

  if (Status valid = Checked(ssh, node, {"sshd", "-t"}); !valid) {
    Status restored = Restore(ssh, node, path, previous);
    // The session lost while sshd -t ran says nothing about the new file: no refusal, an unknown outcome
    // (retried; it was reported as "sshd -t refused").
    if (valid.error().code == Code::kUnavailable) {
      return Fail(Code::kUnavailable,
                  "the SSH session was lost while `sshd -t` checked the new " + path + " (" + valid.error().message +
                      ")" + (restored ? "; the previous file was restored and sshd reloaded"
                                      : "; restoring the previous file failed too: " + restored.error().message));
    }
    return Fail(Code::kInvalidArgument,
                "sshd -t refused the new " + path + ": " + valid.error().message +
                    (restored ? "; the previous file was restored" : "; restoring the previous file failed too: " +
                                                                         restored.error().message));
  }

  Status reloaded = Reload(ssh, node);
  Status login = Ok();
  if (reloaded) {
    for (int attempt = 0; attempt < 2 && login; ++attempt) {
      std::this_thread::sleep_for(options.reload_settle);
      login = fresh_login(node);
    }
  }
  if (reloaded && login) return Ok();

  const std::string why = !reloaded ? "reloading sshd failed: " + reloaded.error().message
                                    : "a fresh SSH login failed after the reload: " + login.error().message;
  Status restored = Restore(ssh, node, path, previous);
  if (!restored) {
    return Fail(Code::kFailedPrecondition, why + "; RESTORING THE PREVIOUS FILE FAILED: " + restored.error().message +
                                               " — check sshd on " + node + " now, over the session still open");
  }
  std::this_thread::sleep_for(options.reload_settle);
  Status again = fresh_login(node);
  return Fail(Code::kFailedPrecondition,
              why + "; the previous " + path + " was restored and sshd reloaded" +
                  (again ? " (fresh logins work again)" : " — but a fresh login still fails: " + again.error().message));
}

}  // namespace hainfra::providers
