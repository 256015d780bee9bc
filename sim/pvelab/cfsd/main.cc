// pvelab-cfsd: the lab's pmxcfs stand-in, one per lab, in the root namespace. It watches every node's quorum
// (read-only /etc/pve without it), propagates corosync.conf, applies the lock-folder rules, writes the
// status files, and ends the lab when its owner process dies.
//   pvelab-cfsd --lab LAB-DIR
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cluster_fs.h"
#include "lab_config.h"
#include "process.h"

namespace {

volatile sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

// Starts `pvelab down ID` in a session of its own (it outlives this daemon, which it ends).
void StartDown(const pvelab::LabConfig& config) {
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    execl("/bin/bash", "bash", config.pvelab.c_str(), "down", config.id.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
}

// inotify on the cfs root (corosync.conf) and on priv/lock; returns the watch descriptor of the root.
int WatchCfs(int inotify_fd, const std::string& cfs, int& lock_wd) {
  int root_wd = inotify_add_watch(inotify_fd, cfs.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
  lock_wd = inotify_add_watch(inotify_fd, (cfs + "/priv/lock").c_str(),
                              IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM);
  return root_wd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string lab_dir;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--lab") lab_dir = argv[i + 1];
  }
  if (lab_dir.empty()) {
    std::cerr << "usage: pvelab-cfsd --lab LAB-DIR\n";
    return 2;
  }
  auto config = pvelab::LoadLabConfig(lab_dir + "/lab.json");
  if (!config) {
    std::cerr << "pvelab-cfsd: " << config.error().ToString() << "\n";
    return 1;
  }
  std::filesystem::create_directories(lab_dir + "/status");
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  pvelab::ClusterFs cfs(*config);
  pvelab::Fd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  int lock_wd = -1;
  int root_wd = WatchCfs(inotify.Get(), config->cfs, lock_wd);
  using Clock = std::chrono::steady_clock;
  auto next_owner_check = Clock::now();
  bool ready_written = false;
  bool conf_dirty = false;
  auto conf_due = Clock::now();

  while (!g_stop) {
    auto now = Clock::now();
    cfs.EnsureMonitors(now);
    std::vector<int> monitor_fds = cfs.MonitorFds();
    std::vector<pollfd> fds{{inotify.Get(), POLLIN, 0}};
    for (int fd : monitor_fds) fds.push_back({fd, static_cast<short>(fd >= 0 ? POLLIN : 0), 0});
    int n = poll(fds.data(), fds.size(), 100);
    if (n < 0 && errno != EINTR) break;
    now = Clock::now();
    if (n > 0 && (fds[0].revents & POLLIN)) {
      alignas(inotify_event) char events[4096];
      ssize_t len;
      while ((len = read(inotify.Get(), events, sizeof events)) > 0) {
        for (char* p = events; p < events + len;) {
          auto* e = reinterpret_cast<inotify_event*>(p);
          if (e->wd == root_wd && e->len > 0 && std::strcmp(e->name, "corosync.conf") == 0) {
            // Debounce: editors and `mv` produce several events for one change.
            conf_dirty = true;
            conf_due = now + std::chrono::milliseconds(50);
          }
          p += sizeof(inotify_event) + e->len;
        }
      }
    }
    for (std::size_t i = 0; i < monitor_fds.size(); ++i) {
      if (monitor_fds[i] >= 0 && (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) cfs.OnMonitorReadable(i);
    }
    if (conf_dirty && now >= conf_due) {
      conf_dirty = false;
      cfs.OnCorosyncConfChanged();
    }
    // Lock folders are few and small: a scan on every pass (≤ 100 ms) answers unlock requests promptly.
    cfs.ScanLocks(now);
    if (!ready_written && cfs.AllReported()) {
      std::ofstream(lab_dir + "/status/ready") << "ready\n";
      ready_written = true;
    }
    if (config->owner_pid > 0 && now >= next_owner_check) {
      next_owner_check = now + std::chrono::milliseconds(500);
      if (!pvelab::SameProcessAlive(config->owner_pid, config->owner_start)) {
        std::cerr << "pvelab-cfsd[" << config->id << "]: owner " << config->owner_pid << " ended: lab goes down\n";
        StartDown(*config);
        break;
      }
    }
  }
  return 0;
}
