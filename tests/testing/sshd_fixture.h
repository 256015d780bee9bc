// A real OpenSSH sshd for tests, started on an ephemeral 127.0.0.1 port with keys generated in a private
// temp dir (host key, an authorized client key, an unauthorized one, known_hosts files right and wrong).
// As root it runs in a private mount namespace that hides root's slow ~/.bashrc (LAB-NOTES §2); otherwise
// as the current user with its own config. Killed, with every session and command, on destruction.
#pragma once

#include <sys/types.h>

#include <string>

#include "providers/transport/ssh_settings.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {

class SshdFixture {
 public:
  SshdFixture() : SshdFixture(std::string()) {}
  // With `etc_pve` (a folder, e.g. pvesim's <state>/etc-pve): the sessions see it as /etc/pve, as a node
  // sees pmxcfs — bind-mounted in sshd's private mount namespace (over an overlay of /etc when the host has
  // no /etc/pve; the host is not touched). Needs root; ok() is false with the reason otherwise.
  explicit SshdFixture(std::string etc_pve);
  ~SshdFixture();
  SshdFixture(const SshdFixture&) = delete;
  SshdFixture& operator=(const SshdFixture&) = delete;

  // False when sshd could not be started; error() then says why, with the tail of sshd's log.
  bool ok() const { return pid_ > 0; }
  const std::string& error() const { return error_; }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& user() const { return user_; }
  const TempDir& dir() const { return dir_; }

  std::string client_key() const { return dir_.File("client_ed25519"); }       // authorized
  std::string stranger_key() const { return dir_.File("stranger_ed25519"); }   // not authorized
  std::string known_hosts() const { return dir_.File("known_hosts"); }         // trusts this sshd
  std::string wrong_known_hosts() const { return dir_.File("known_hosts.wrong"); }  // another key for it
  std::string host_fingerprint() const { return host_fingerprint_; }           // "SHA256:…"

  // Client settings for this sshd: user, authorized key, known_hosts, and `node` at 127.0.0.1:port.
  transport::SshSettings Settings(const std::string& node = "pve-01") const;

  // SIGKILLs every sshd process serving a connection (the listener stays): clients see the connection
  // drop, while the commands they started keep running without their stdin.
  void KillConnections();

  std::string LogTail(size_t bytes = 4000) const;

 private:
  bool Start(std::string& why);

  TempDir dir_{"sshd"};
  std::string etc_pve_;
  std::string user_;
  std::string host_fingerprint_;
  std::string error_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// An ssh-agent holding the fixture's authorized key, on a socket in the fixture's directory.
class SshAgent {
 public:
  explicit SshAgent(const SshdFixture& sshd);
  ~SshAgent();
  SshAgent(const SshAgent&) = delete;
  SshAgent& operator=(const SshAgent&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  std::string socket() const { return socket_; }

 private:
  std::string socket_;
  std::string error_;
  pid_t pid_ = -1;
  bool ok_ = false;
};

}  // namespace hainfra::testing
