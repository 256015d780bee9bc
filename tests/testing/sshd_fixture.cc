#include "tests/testing/sshd_fixture.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/testing/subprocess.h"

namespace hainfra::testing {

namespace {

constexpr char kSshd[] = "/usr/sbin/sshd";
constexpr int kStartAttempts = 5;
constexpr auto kReadyTimeout = std::chrono::seconds(15);

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool Keygen(const std::string& path, std::string& why) {
  auto r = RunProcess({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hainfra-test", "-f", path});
  if (r.exit_status != 0) why = "ssh-keygen failed for " + path + ": " + r.output;
  return r.exit_status == 0;
}

}  // namespace

SshdFixture::SshdFixture(std::string etc_pve) : etc_pve_(std::move(etc_pve)) {
  passwd* pw = getpwuid(getuid());
  user_ = pw != nullptr ? pw->pw_name : "root";
  if (!etc_pve_.empty() && (getuid() != 0 || access("/usr/bin/unshare", X_OK) != 0)) {
    error_ = "an sshd that shows a folder as /etc/pve needs root and unshare (a private mount namespace)";
    return;
  }
  if (access(kSshd, X_OK) != 0) {
    error_ = std::string(kSshd) + " is not installed (Debian package openssh-server; .ci/install-deps test)";
    return;
  }
  std::string why;
  for (const char* key : {"host_ed25519", "other_host_ed25519", "client_ed25519", "stranger_ed25519"}) {
    if (!Keygen(dir_.File(key), why)) {
      error_ = why;
      return;
    }
  }
  WriteText(dir_.File("authorized_keys"), FirstLine(dir_.File("client_ed25519.pub")) + "\n");
  auto fingerprint = RunProcess({"ssh-keygen", "-l", "-E", "sha256", "-f", dir_.File("host_ed25519.pub")});
  std::istringstream words(fingerprint.output);
  std::string bits;
  words >> bits >> host_fingerprint_;
  WriteText(dir_.File("empty_bashrc"), "");
  if (getuid() == 0) mkdir("/run/sshd", 0755);  // sshd's compiled-in privilege separation directory
  for (int attempt = 0; attempt < kStartAttempts && pid_ <= 0; ++attempt) {
    if (!Start(why)) error_ = why;
  }
  if (pid_ > 0) {
    error_.clear();
    auto key_of = [&](const char* name) {  // "ssh-ed25519 AAAA…" without the comment
      std::string line = FirstLine(dir_.File(name));
      return line.substr(0, line.rfind(' '));
    };
    std::string pattern = "[127.0.0.1]:" + std::to_string(port_);
    WriteText(known_hosts(), pattern + " " + key_of("host_ed25519.pub") + "\n");
    WriteText(wrong_known_hosts(), pattern + " " + key_of("other_host_ed25519.pub") + "\n");
  }
}

bool SshdFixture::Start(std::string& why) {
  port_ = FreeLoopbackPort();
  const std::string config = dir_.File("sshd_config");
  const std::string log = dir_.File("sshd.log");
  std::ostringstream text;
  text << "Port " << port_ << "\n"
       << "ListenAddress 127.0.0.1\n"
       << "HostKey " << dir_.File("host_ed25519") << "\n"
       << "PidFile " << dir_.File("sshd.pid") << "\n"
       << "AuthorizedKeysFile " << dir_.File("authorized_keys") << "\n"
       << "PermitRootLogin prohibit-password\n"
       << "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
       << "UsePAM no\nStrictModes no\nSubsystem sftp internal-sftp\nLogLevel VERBOSE\n"
       << "MaxSessions 200\nMaxStartups 100:30:200\n";
  WriteText(config, text.str());
  WriteText(log, "");
  auto check = RunProcess({kSshd, "-t", "-f", config});
  if (check.exit_status != 0) {
    why = "sshd -t rejected the test config: " + check.output;
    return false;
  }
  std::vector<std::string> argv = {kSshd, "-D", "-e", "-f", config};
  const char* home = getenv("HOME");
  std::string bashrc = std::string(home != nullptr ? home : "/root") + "/.bashrc";
  if (getuid() == 0 && access("/usr/bin/unshare", X_OK) == 0 &&
      (access(bashrc.c_str(), F_OK) == 0 || !etc_pve_.empty())) {
    // A private mount namespace: bind an empty file over root's ~/.bashrc for this sshd only, so each
    // command does not pay for it (the host's file is not touched). Failing mounts just leave it visible.
    std::string script = "mount --make-rprivate / 2>/dev/null; mount --bind '" + dir_.File("empty_bashrc") + "' '" +
                         bashrc + "' 2>/dev/null; ";
    if (!etc_pve_.empty()) {
      // /etc/pve: the given folder. Without one on the host, /etc becomes an overlay (upper layer in the
      // fixture's dir) so the mount point can exist in this namespace only. A failed mount stops sshd.
      const std::string upper = dir_.File("etc-upper"), work = dir_.File("etc-work");
      script += "mkdir -p '" + upper + "' '" + work + "' && { [ -d /etc/pve ] || { mount -t overlay overlay -o "
                "lowerdir=/etc,upperdir='" + upper + "',workdir='" + work + "' /etc && mkdir /etc/pve; }; } && "
                "mount --bind '" + etc_pve_ + "' /etc/pve || { echo 'cannot show " + etc_pve_ +
                " as /etc/pve' >&2; exit 1; }; ";
    }
    script += "exec " + std::string(kSshd) + " -D -e -f '" + config + "'";
    argv = {"unshare", "--mount", "sh", "-c", script};
  }
  pid_t pid = SpawnProcess(argv, log);
  if (pid <= 0) {
    why = "cannot start sshd";
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string logged = ReadText(log);
    if (logged.find("Server listening on 127.0.0.1 port " + std::to_string(port_)) != std::string::npos) {
      pid_ = pid;
      return true;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {  // it died: most likely the port was taken meanwhile
      why = "sshd exited during start-up; its log:\n" + LogTail();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  StopProcess(pid);
  why = "sshd did not report listening within 15 s; its log:\n" + LogTail();
  return false;
}

SshdFixture::~SshdFixture() {
  if (pid_ <= 0) return;
  for (pid_t child : DescendantPids(pid_)) kill(child, SIGKILL);  // sessions and the commands they run
  StopProcess(pid_);
}

transport::SshSettings SshdFixture::Settings(const std::string& node) const {
  transport::SshSettings settings;
  settings.user = user_;
  settings.identity = client_key();
  settings.known_hosts = known_hosts();
  settings.connect_timeout = std::chrono::seconds(10);
  settings.command_timeout = std::chrono::seconds(60);
  settings.addresses[node] = transport::NodeAddress{"127.0.0.1", port_};
  return settings;
}

void SshdFixture::KillConnections() {
  for (pid_t child : DescendantPids(pid_)) {
    if (ProcessName(child) == "sshd") kill(child, SIGKILL);
  }
}

std::string SshdFixture::LogTail(size_t bytes) const {
  std::string log = ReadText(dir_.File("sshd.log"));
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

SshAgent::SshAgent(const SshdFixture& sshd) : socket_(sshd.dir().File("agent.sock")) {
  pid_ = SpawnProcess({"ssh-agent", "-D", "-a", socket_}, sshd.dir().File("agent.log"));
  for (int i = 0; i < 500 && access(socket_.c_str(), F_OK) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto added = RunProcess({"ssh-add", sshd.client_key()}, {{"SSH_AUTH_SOCK", socket_}});
  ok_ = pid_ > 0 && added.exit_status == 0;
  if (!ok_) error_ = "ssh-agent/ssh-add failed: " + added.output + ReadText(sshd.dir().File("agent.log"));
}

SshAgent::~SshAgent() { StopProcess(pid_); }

}  // namespace hainfra::testing
