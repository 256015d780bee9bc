#include "providers/transport/ssh_client.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "providers/transport/shell_quote.h"

namespace hainfra::transport {

// The libssh handles a client keeps between calls (named, not file-local: SshClient::Impl holds them).
struct SessionDeleter {
  void operator()(ssh_session session) const {
    if (ssh_is_connected(session) != 0) ssh_disconnect(session);
    ssh_free(session);
  }
};
struct ChannelDeleter {
  void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
};
struct KeyDeleter {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyDeleter>;

struct NodeSession {
  std::mutex mu;  // one command at a time on a session
  SessionPtr session;
};

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kStdinChunk = 64 * 1024;
constexpr int kIdlePollMs = 20;  // wait for data this long when nothing moved

// Appending to known_hosts (trust on first use) is serialised process-wide: sessions of different nodes
// may share one file.
std::mutex& KnownHostsMutex() {
  static std::mutex mu;
  return mu;
}

struct Target {
  std::string node;
  std::string host;
  int port = 22;
  std::string user;
  std::string Describe() const { return "ssh " + user + "@" + node + " (" + host + ":" + std::to_string(port) + ")"; }
};

// "SHA256:…" of the server's host key, and its type ("ssh-ed25519"), for messages.
std::pair<std::string, std::string> HostKeyFingerprint(ssh_session session) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) return {"(unknown key)", "(unknown type)"};
  KeyPtr key(raw);
  unsigned char* hash = nullptr;
  size_t length = 0;
  std::string fingerprint = "(unknown fingerprint)";
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK) {
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    if (text != nullptr) fingerprint = text;
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
  }
  const char* type = ssh_key_type_to_char(ssh_key_type(key.get()));
  return {fingerprint, type != nullptr ? type : "(unknown type)"};
}

struct ExitSignal {
  std::string name;
};

void OnExitSignal(ssh_session, ssh_channel, const char* signal, int, const char*, const char*, void* userdata) {
  static_cast<ExitSignal*>(userdata)->name = signal != nullptr ? signal : "";
}

}  // namespace

struct SshClient::Impl {
  SshSettings settings;
  SshHooks hooks;
  std::mutex map_mu;
  std::map<std::string, std::unique_ptr<NodeSession>> sessions;
  std::atomic<uint64_t> connects{0}, commands{0}, failures{0}, bytes_sent{0}, bytes_received{0};

  void Log(LogLevel level, const std::string& line) const {
    if (hooks.log) hooks.log(level, line);
  }

  Target TargetOf(const std::string& node) const {
    Target t{node, node, settings.port, settings.user};
    auto it = settings.addresses.find(node);
    if (it != settings.addresses.end()) {
      t.host = it->second.host;
      if (it->second.port != 0) t.port = it->second.port;
    }
    return t;
  }

  NodeSession& SessionFor(const std::string& node) {
    std::lock_guard lock(map_mu);
    auto& slot = sessions[node];
    if (!slot) slot = std::make_unique<NodeSession>();
    return *slot;
  }

  Result<SessionPtr> Connect(const Target& t);
  Status VerifyHostKey(ssh_session session, const Target& t);
  Status Authenticate(ssh_session session, const Target& t);
  Result<CommandResult> Exec(ssh_session session, const Target& t, const std::string& command, const std::string& program,
                             const RunOptions& options, bool& channel_opened);
};

Result<SessionPtr> SshClient::Impl::Connect(const Target& t) {
  SessionPtr session(ssh_new());
  if (!session) return Fail(Code::kInternal, t.Describe() + ": ssh_new failed");
  ssh_session s = session.get();
  const int verbosity = SSH_LOG_NOLOG;
  const int nodelay = 1;  // without it every exec costs Nagle + delayed ACK: ~45 ms instead of ~3 ms
  const long timeout_s = std::max<long>(1, static_cast<long>((settings.connect_timeout.count() + 999) / 1000));
  ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
  ssh_options_set(s, SSH_OPTIONS_HOST, t.host.c_str());
  if (settings.use_ssh_config) {
    // The config decides what it names (HostName, Port, User, IdentityFile, ProxyJump as libssh supports
    // it); an explicit node port still wins, and cluster.ssh.user fills in when the config names no user.
    if (ssh_options_parse_config(s, settings.ssh_config.c_str()) != SSH_OK) {
      return Fail(Code::kInvalidArgument, t.Describe() + ": cannot parse ssh config " + settings.ssh_config);
    }
    auto address = settings.addresses.find(t.node);
    if (address != settings.addresses.end() && address->second.port != 0) {
      ssh_options_set(s, SSH_OPTIONS_PORT, &t.port);
    }
    char* user = nullptr;
    if (ssh_options_get(s, SSH_OPTIONS_USER, &user) == SSH_OK && user != nullptr) {
      ssh_string_free_char(user);
    } else {
      ssh_options_set(s, SSH_OPTIONS_USER, t.user.c_str());
    }
  } else {
    const bool process_config = false;  // libssh reads a bool here
    ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
    ssh_options_set(s, SSH_OPTIONS_PORT, &t.port);
    ssh_options_set(s, SSH_OPTIONS_USER, t.user.c_str());
    // Only the known_hosts file of the settings is trusted, not the machine-wide one.
    ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  }
  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, settings.known_hosts.c_str());
  ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout_s);
  if (!settings.agent_socket.empty()) ssh_options_set(s, SSH_OPTIONS_IDENTITY_AGENT, settings.agent_socket.c_str());

  if (ssh_connect(s) != SSH_OK) {
    return Fail(Code::kUnavailable, t.Describe() + ": cannot connect: " + ssh_get_error(s));
  }
  if (auto st = VerifyHostKey(s, t); !st) return Fail(st.error());
  if (auto st = Authenticate(s, t); !st) return Fail(st.error());
  ++connects;
  return session;
}

Status SshClient::Impl::VerifyHostKey(ssh_session s, const Target& t) {
  auto [fingerprint, type] = HostKeyFingerprint(s);
  const std::string offer = "the server offers " + type + " " + fingerprint;
  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
      return Ok();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      // Never trusted on first use: this is what a man in the middle looks like.
      return Fail(Code::kPermissionDenied,
                  t.Describe() + ": HOST KEY CHANGED: " + offer + ", which differs from the key recorded in " +
                      settings.known_hosts + ". Refusing to connect. If the node was reinstalled, verify the new "
                      "key on its console and replace the old entry (ssh-keygen -R).");
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND: {
      if (!settings.trust_on_first_use) {
        return Fail(Code::kPermissionDenied,
                    t.Describe() + ": host key unknown: " + offer + ", which is not in " + settings.known_hosts +
                        ". Verify it on the node (ssh-keygen -lf /etc/ssh/ssh_host_" +
                        (type.starts_with("ssh-") ? type.substr(4) : type) +
                        "_key.pub) and add it, or set cluster.ssh.trust_on_first_use.");
      }
      std::lock_guard lock(KnownHostsMutex());
      if (ssh_session_update_known_hosts(s) != SSH_OK) {
        return Fail(Code::kFailedPrecondition,
                    t.Describe() + ": cannot record the host key in " + settings.known_hosts + ": " + ssh_get_error(s));
      }
      Log(LogLevel::kWarning, t.Describe() + ": trusted on first use: " + offer + ", recorded in " + settings.known_hosts);
      return Ok();
    }
    case SSH_KNOWN_HOSTS_ERROR:
      break;
  }
  return Fail(Code::kFailedPrecondition,
              t.Describe() + ": cannot check the host key against " + settings.known_hosts + ": " + ssh_get_error(s));
}

Status SshClient::Impl::Authenticate(ssh_session s, const Target& t) {
  int rc = SSH_AUTH_ERROR;
  std::string method;
  if (!settings.identity.empty()) {
    method = "key " + settings.identity;
    ssh_key raw = nullptr;
    if (ssh_pki_import_privkey_file(settings.identity.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
      return Fail(Code::kInvalidArgument, t.Describe() + ": cannot read the identity file " + settings.identity +
                                              " (missing, unreadable, or protected by a passphrase: use ssh-agent)");
    }
    KeyPtr key(raw);
    rc = ssh_userauth_publickey(s, nullptr, key.get());
  } else {
    method = "ssh-agent and default keys";
    rc = ssh_userauth_publickey_auto(s, nullptr, nullptr);
  }
  if (rc == SSH_AUTH_SUCCESS) return Ok();
  if (rc == SSH_AUTH_ERROR) {
    return Fail(Code::kUnavailable, t.Describe() + ": authentication failed: " + ssh_get_error(s));
  }
  return Fail(Code::kPermissionDenied,
              t.Describe() + ": public key authentication refused (" + method + ")");
}

Result<CommandResult> SshClient::Impl::Exec(ssh_session s, const Target& t, const std::string& command,
                                            const std::string& program, const RunOptions& options,
                                            bool& channel_opened) {
  const auto timeout = options.timeout.value_or(settings.command_timeout);
  const auto deadline = Clock::now() + timeout;
  const std::string watched = WithRemoteTimeout(command, timeout);
  auto lost = [&](const std::string& when) {
    return Fail(Code::kUnavailable,
                t.Describe() + ": connection lost " + when + " `" + program + "`: " + ssh_get_error(s));
  };

  ExitSignal exit_signal;
  ssh_channel_callbacks_struct callbacks{};
  ssh_callbacks_init(&callbacks);
  callbacks.userdata = &exit_signal;
  callbacks.channel_exit_signal_function = OnExitSignal;

  ChannelPtr channel(ssh_channel_new(s));  // declared after `callbacks`: freed before them
  if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) return lost("before starting");
  channel_opened = true;
  ssh_channel ch = channel.get();
  ssh_set_channel_callbacks(ch, &callbacks);
  if (ssh_channel_request_exec(ch, watched.c_str()) != SSH_OK) return lost("while starting");
  ++commands;

  CommandResult result;
  const std::string& input = options.stdin_data;
  size_t sent = 0;
  bool eof_sent = false;
  if (input.empty()) {
    ssh_channel_send_eof(ch);
    eof_sent = true;
  }
  char buffer[32 * 1024];
  for (;;) {
    bool progress = false;
    if (!eof_sent) {
      // Only what the window takes, so a command that writes while it reads can never deadlock us.
      size_t n = std::min<size_t>({ssh_channel_window_size(ch), kStdinChunk, input.size() - sent});
      if (n > 0) {
        int written = ssh_channel_write(ch, input.data() + sent, static_cast<uint32_t>(n));
        if (written == SSH_ERROR) {
          // A command that ends without reading all of its input (a script refusing at its first check)
          // closes the channel under our write: its exit status says what happened, not a lost connection.
          if (ssh_is_connected(s) == 0 || (ssh_channel_is_closed(ch) == 0 && ssh_channel_is_eof(ch) == 0)) {
            return lost("while sending input to");
          }
          eof_sent = true;
          continue;
        }
        sent += static_cast<size_t>(written);
        bytes_sent += static_cast<uint64_t>(written);
        progress = written > 0;
      }
      if (sent == input.size()) {
        ssh_channel_send_eof(ch);
        eof_sent = true;
      }
    }
    for (int is_stderr = 0; is_stderr <= 1; ++is_stderr) {
      std::string& sink = is_stderr != 0 ? result.stderr_text : result.stdout_text;
      for (;;) {
        int n = ssh_channel_read_nonblocking(ch, buffer, sizeof buffer, is_stderr);
        if (n == SSH_ERROR) return lost("while reading the output of");
        if (n <= 0) break;  // nothing buffered, or SSH_EOF
        sink.append(buffer, static_cast<size_t>(n));
        bytes_received += static_cast<uint64_t>(n);
        progress = true;
        if (sink.size() > settings.max_output_bytes) {
          return Fail(Code::kInternal, t.Describe() + ": `" + program + "` wrote more than " +
                                           std::to_string(settings.max_output_bytes >> 20) + " MiB to " +
                                           (is_stderr != 0 ? "stderr" : "stdout") + "; stopped reading");
        }
      }
    }
    if (ssh_channel_is_eof(ch) != 0 || ssh_channel_is_closed(ch) != 0) {
      if (!progress) break;  // everything before the EOF has been read
      continue;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      // The remote watchdog (WithRemoteTimeout) kills the process group a moment later; a signal request
      // works sooner where sshd allows it (not for root), and closing the channel frees the session.
      ssh_channel_request_send_signal(ch, "TERM");
      ssh_channel_close(ch);
      char text[32];
      std::snprintf(text, sizeof text, "%.1f", std::chrono::duration<double>(timeout).count());
      return Fail(Code::kDeadlineExceeded, t.Describe() + ": `" + program + "` still running after " + text +
                                               " s: its channel was closed and the command is being killed");
    }
    if (!progress) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - now).count();
      int wait = static_cast<int>(std::min<long long>(left + 1, kIdlePollMs));
      if (ssh_channel_poll_timeout(ch, wait, 0) == SSH_ERROR) return lost("while running");
    }
  }
  result.exit_status = ssh_channel_get_exit_status(ch);
  result.exit_signal = exit_signal.name;
  if (result.exit_status == -1 && result.exit_signal.empty() && ssh_is_connected(s) == 0) {
    return lost("before the exit status of");
  }
  ssh_channel_close(ch);
  return result;
}

Result<std::unique_ptr<SshClient>> SshClient::Create(SshSettings settings, SshHooks hooks) {
  if (settings.user.empty()) return Fail(Code::kInvalidArgument, "cluster.ssh.user must not be empty");
  if (settings.known_hosts.empty()) return Fail(Code::kInvalidArgument, "cluster.ssh.known_hosts must not be empty");
  auto impl = std::make_unique<Impl>();
  impl->settings = std::move(settings);
  impl->hooks = std::move(hooks);
  return std::unique_ptr<SshClient>(new SshClient(std::move(impl)));
}

SshClient::SshClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SshClient::~SshClient() = default;

Result<CommandResult> SshClient::Run(const std::string& node, const std::vector<std::string>& argv,
                                     const RunOptions& options) {
  auto command = ShellCommand(argv);
  if (!command) {
    ++impl_->failures;
    return Fail(command.error());
  }
  const Target target = impl_->TargetOf(node);
  NodeSession& slot = impl_->SessionFor(node);
  std::lock_guard lock(slot.mu);
  // A kept session may have died while idle (sshd restarted, node rebooted): when even the channel cannot be
  // opened, nothing ran, so one reconnect and retry is safe.
  for (int round = 0; round < 2; ++round) {
    const bool reused = slot.session != nullptr;
    if (!reused) {
      auto session = impl_->Connect(target);
      if (!session) {
        ++impl_->failures;
        return Fail(session.error());
      }
      slot.session = std::move(*session);
    }
    bool channel_opened = false;
    auto result = impl_->Exec(slot.session.get(), target, *command, argv[0], options, channel_opened);
    if (result) return result;
    if (result.error().code == Code::kUnavailable) slot.session.reset();  // the next command reconnects
    if (reused && !channel_opened) {
      impl_->Log(LogLevel::kInfo, target.Describe() + ": the kept session was dead; reconnecting");
      continue;
    }
    ++impl_->failures;
    return result;
  }
  ++impl_->failures;
  return Fail(Code::kUnavailable, target.Describe() + ": cannot open a channel after reconnecting");
}

Result<std::string> SshClient::RunChecked(const std::string& node, const std::vector<std::string>& argv,
                                          const RunOptions& options) {
  auto result = Run(node, argv, options);
  if (!result) return Fail(result.error());
  if (result->ok()) return std::move(result->stdout_text);
  std::string err = result->stderr_text;
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  constexpr size_t kTail = 2000;
  if (err.size() > kTail) err = "…" + err.substr(err.size() - kTail);
  std::string status = result->exit_signal.empty() ? "exit status " + std::to_string(result->exit_status)
                                                   : "signal " + result->exit_signal;
  return Fail(Code::kFailedPrecondition, impl_->TargetOf(node).Describe() + ": `" + argv[0] + "` failed with " +
                                             status + (err.empty() ? "" : ": " + err));
}

void SshClient::Disconnect(const std::string& node) {
  NodeSession& slot = impl_->SessionFor(node);
  std::lock_guard lock(slot.mu);
  slot.session.reset();
}

SshCounters SshClient::Counters() const {
  return SshCounters{impl_->connects.load(), impl_->commands.load(), impl_->failures.load(),
                     impl_->bytes_sent.load(), impl_->bytes_received.load()};
}

const SshSettings& SshClient::settings() const { return impl_->settings; }

}  // namespace hainfra::transport
