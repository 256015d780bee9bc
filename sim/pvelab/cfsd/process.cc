#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>

namespace pvelab {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.Release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

int Fd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

namespace {

// Forks and execs ARGV with stdout+stderr on a new pipe; returns the pid (or -1) and the read end.
pid_t SpawnWithPipe(const std::vector<std::string>& argv, Fd& read_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  Fd reader(fds[0]);
  Fd writer(fds[1]);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    // The child: a helper of the daemon, so it must not outlive it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(writer.Get(), STDOUT_FILENO);
    dup2(writer.Get(), STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    _exit(127);
  }
  read_end = std::move(reader);
  return pid;
}

}  // namespace

RunResult Run(const std::vector<std::string>& argv, int timeout_ms) {
  RunResult result;
  Fd out;
  pid_t pid = SpawnWithPipe(argv, out);
  if (pid < 0) {
    result.output = "cannot start " + (argv.empty() ? std::string("?") : argv[0]);
    return result;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.output += "\n(killed after " + std::to_string(timeout_ms) + " ms)";
      break;
    }
    pollfd p{out.Get(), POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(out.Get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    result.output.append(buffer, static_cast<size_t>(got));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

std::vector<std::string> InNode(int init_pid, const std::vector<std::string>& argv) {
  std::vector<std::string> full{"nsenter", "-t", std::to_string(init_pid), "-a", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

Child::Child(Child&& other) noexcept : pid_(other.pid_), out_(std::move(other.out_)) { other.pid_ = -1; }

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = other.pid_;
    out_ = std::move(other.out_);
    other.pid_ = -1;
  }
  return *this;
}

Child::~Child() { Stop(); }

Child Child::Start(const std::vector<std::string>& argv) {
  Child child;
  child.pid_ = SpawnWithPipe(argv, child.out_);
  if (child.pid_ > 0) fcntl(child.out_.Get(), F_SETFL, O_NONBLOCK);
  return child;
}

void Child::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  out_ = Fd();
}

bool SameProcessAlive(int pid, long long start) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!in || !std::getline(in, text)) return false;
  // Fields after the command name (which may hold spaces) start behind the last ')'.
  auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos) return false;
  std::istringstream rest(text.substr(close_paren + 2));
  std::string state;
  rest >> state;
  if (state == "Z" || state == "X") return false;
  std::string field;
  for (int i = 4; i <= 22; ++i) {  // fields 4..22; 22 is starttime
    if (!(rest >> field)) return false;
  }
  return start == 0 || std::stoll(field) == start;
}

}  // namespace pvelab
