// Running helper programs from tests (ssh-keygen, sshd, ssh-agent) without a shell in between.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace hainfra::testing {

struct ProcessResult {
  int exit_status = -1;  // -1 when it could not start or died by a signal
  std::string output;    // stdout and stderr together
};

// Runs argv to completion (PATH is searched); `env` entries are added to the environment.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// Starts argv in the background with stdout and stderr appended to `log_path`; returns its pid (or -1).
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& log_path,
                   const std::map<std::string, std::string>& env = {});

// Every process below `root` in the process tree (children first found, then theirs), read from /proc.
std::vector<pid_t> DescendantPids(pid_t root);

// The process's command name (/proc/PID/comm), "" when it is gone.
std::string ProcessName(pid_t pid);

// True while the process exists and is not a zombie.
bool ProcessAlive(pid_t pid);

// SIGTERM, wait up to `grace_ms` for it to exit (reaping it if it is our child), then SIGKILL.
void StopProcess(pid_t pid, int grace_ms = 2000);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int FreeLoopbackPort();

}  // namespace hainfra::testing
