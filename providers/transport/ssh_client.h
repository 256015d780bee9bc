// The SSH client for node-level work: one libssh session per node, reused across commands; strict host
// key checking; commands from argument vectors (every argument quoted) with timeouts and exit statuses;
// atomic file writes. Thread-safe (one command at a time per node). The only user of libssh.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "providers/transport/ssh_settings.h"
#include "providers/transport/transport_log.h"

namespace hainfra::transport {

struct CommandResult {
  int exit_status = -1;     // -1 when the command died by a signal (see exit_signal)
  std::string exit_signal;  // "KILL", "SEGV", … when it did
  std::string stdout_text;
  std::string stderr_text;

  bool ok() const { return exit_status == 0; }
};

struct RunOptions {
  std::string stdin_data;                            // sent, then EOF; empty: EOF at once
  std::optional<std::chrono::milliseconds> timeout;  // default: settings.command_timeout
};

struct FileAttributes {
  std::optional<int> mode;  // e.g. 0644; none: keep the old file's mode (0644 for a new file)
  std::string owner;        // "user" or "user:group"; empty: keep the old file's owner (the login user's for a new one)
};

struct SshCounters {
  uint64_t connects = 0;      // sessions opened (host key checked, authenticated)
  uint64_t commands = 0;      // exec requests
  uint64_t failures = 0;      // calls that returned an error
  uint64_t bytes_sent = 0;    // stdin bytes
  uint64_t bytes_received = 0;  // stdout + stderr bytes
};

struct SshHooks {
  LogSink log;  // trust-on-first-use notices, reconnects
};

class SshClient {
 public:
  // Validates nothing remote yet: sessions open on the first command for each node.
  static Result<std::unique_ptr<SshClient>> Create(SshSettings settings, SshHooks hooks = {});
  ~SshClient();
  SshClient(const SshClient&) = delete;
  SshClient& operator=(const SshClient&) = delete;

  // Runs argv[0] with its arguments on `node` (each one single-quoted for the remote shell). A non-zero exit
  // is a result, not an error. Errors: kDeadlineExceeded (the command was signalled and its channel closed),
  // kUnavailable (connect failed or the connection dropped: the next call reconnects), kPermissionDenied
  // (host key unknown or changed, authentication refused), kInvalidArgument (bad argv).
  Result<CommandResult> Run(const std::string& node, const std::vector<std::string>& argv, const RunOptions& options = {});

  // Run, then stdout when the exit status is 0; otherwise kFailedPrecondition with the status and stderr.
  Result<std::string> RunChecked(const std::string& node, const std::vector<std::string>& argv,
                                 const RunOptions& options = {});

  // Replaces `path` atomically: a temporary file beside it receives the content, is verified (size and
  // SHA-256), given mode and owner, fsynced and renamed over the target; the previous version is kept as
  // `path.hainfra-prev`. Returns false, writing nothing, when content, mode and owner are already right.
  // An interrupted write never leaves a partial target. Symbolic links and non-files are refused.
  Result<bool> WriteFileAtomic(const std::string& node, const std::string& path, const std::string& content,
                               const FileAttributes& attributes = {});

  // The content of a remote file; kNotFound when it does not exist.
  Result<std::string> ReadFile(const std::string& node, const std::string& path);

  // Closes the node's session (the next command opens a new one).
  void Disconnect(const std::string& node);

  SshCounters Counters() const;
  const SshSettings& settings() const;

 private:
  struct Impl;
  explicit SshClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hainfra::transport
