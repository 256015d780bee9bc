// pvelab-cfsd: child processes — running a command to completion, or keeping one running with its output
// on a pipe — and running commands inside a lab node's namespaces through nsenter.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pvelab {

// An owned file descriptor; closed on destruction. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  int Get() const { return fd_; }
  int Release();
  bool Valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct RunResult {
  int exit_code = -1;  // -1: could not start or killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs ARGV (argv[0] looked up in PATH) to completion; kills it after TIMEOUT_MS.
RunResult Run(const std::vector<std::string>& argv, int timeout_ms = 10000);

// The argv that runs ARGV inside every namespace of the process INIT_PID.
std::vector<std::string> InNode(int init_pid, const std::vector<std::string>& argv);

// A long-running child whose stdout+stderr are readable (non-blocking) on Output(). Killed (SIGKILL) and
// reaped on destruction. Move-only.
class Child {
 public:
  Child() = default;
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  // Starts ARGV; on failure Running() is false.
  static Child Start(const std::vector<std::string>& argv);

  bool Running() const { return pid_ > 0; }
  int Output() const { return out_.Get(); }
  // Kills and reaps the child (idempotent).
  void Stop();

 private:
  pid_t pid_ = -1;
  Fd out_;
};

// True when PID is alive and started at START (clock ticks since boot; /proc/PID/stat field 22).
bool SameProcessAlive(int pid, long long start);

}  // namespace pvelab
