#include "cluster_fs.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "corosync_sync.h"

namespace pvelab {

namespace {

// One node's quorum, read every 250 ms by the real corosync-quorumtool inside the node. One long-lived
// nsenter per node: its pipe closes when the node dies.
const char* kMonitorScript =
    "while :; do corosync-quorumtool -s -p 2>&1; echo \"@rc=$?\"; sleep 0.25; done";

// The mount points that make up a node's /etc/pve (see node-init).
const char* kRemountScript =
    "for m in /etc/pve /etc/pve/local /etc/pve/qemu-server /etc/pve/lxc; do "
    "mount -o remount,bind,$0 \"$m\" || exit 1; done";

long long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

ClusterFs::ClusterFs(LabConfig config)
    : config_(std::move(config)),
      locks_(config_.cfs + "/priv/lock", std::chrono::seconds(config_.lock_timeout_s)) {
  for (const LabNode& n : config_.nodes) nodes_.push_back(Node{n, Child(), "", std::nullopt, true, {}});
}

void ClusterFs::Log(const std::string& line) const {
  char stamp[32];
  std::time_t t = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::localtime(&t));
  std::cerr << stamp << " pvelab-cfsd[" << config_.id << "]: " << line << std::endl;
}

void ClusterFs::EnsureMonitors(std::chrono::steady_clock::time_point now) {
  for (Node& node : nodes_) {
    if (node.monitor.Running() || now < node.next_start) continue;
    node.next_start = now + std::chrono::seconds(1);
    if (!SameProcessAlive(node.lab.init_pid, 0)) {
      // The node is gone: it is offline, and stays so.
      if (!node.status || node.status->corosync_up) Apply(node, QuorumStatus{});
      continue;
    }
    node.buffer.clear();
    node.monitor = Child::Start(InNode(node.lab.init_pid, {"sh", "-c", kMonitorScript}));
  }
}

std::vector<int> ClusterFs::MonitorFds() const {
  std::vector<int> fds;
  for (const Node& node : nodes_) fds.push_back(node.monitor.Running() ? node.monitor.Output() : -1);
  return fds;
}

void ClusterFs::OnMonitorReadable(std::size_t index) {
  Node& node = nodes_.at(index);
  char chunk[4096];
  for (;;) {
    ssize_t got = read(node.monitor.Output(), chunk, sizeof chunk);
    if (got > 0) {
      node.buffer.append(chunk, static_cast<size_t>(got));
      continue;
    }
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
    // EOF: the monitor (or the node) ended. Report the node down; EnsureMonitors retries while it lives.
    node.monitor.Stop();
    Apply(node, QuorumStatus{});
    return;
  }
  for (;;) {
    auto marker = node.buffer.find("@rc=");
    if (marker == std::string::npos) break;
    auto eol = node.buffer.find('\n', marker);
    if (eol == std::string::npos) break;
    int rc = std::atoi(node.buffer.c_str() + marker + 4);
    QuorumStatus status = ParseQuorumtool(std::string_view(node.buffer).substr(0, marker), rc);
    node.buffer.erase(0, eol + 1);
    Apply(node, status);
  }
}

void ClusterFs::Apply(Node& node, const QuorumStatus& status) {
  bool first = !node.status.has_value();
  bool was_quorate = node.status && node.status->quorate;
  if (!first && *node.status == status) return;
  node.status = status;
  if (first || status.quorate != was_quorate) {
    Log(node.lab.name + (status.quorate ? ": quorate" : ": not quorate") +
        (status.corosync_up ? "" : " (corosync not reachable)"));
  }
  // pmxcfs refuses writes on a node without quorum (EACCES); here its /etc/pve view turns read-only.
  if (status.quorate != node.writable) SetWritable(node, status.quorate);
  // A node that (re)gains quorum catches up with the cluster's corosync.conf (pmxcfs's sync after join).
  if (status.quorate && !was_quorate) SyncNode(node);
  WriteStatus(node);
}

void ClusterFs::SetWritable(Node& node, bool writable) {
  if (!SameProcessAlive(node.lab.init_pid, 0)) return;
  RunResult r = Run(InNode(node.lab.init_pid, {"sh", "-c", kRemountScript, writable ? "rw" : "ro"}));
  if (r.exit_code != 0) {
    Log(node.lab.name + ": remounting /etc/pve " + (writable ? "rw" : "ro") + " failed: " + r.output);
    return;
  }
  node.writable = writable;
  Log(node.lab.name + ": /etc/pve is now " + (writable ? "writable" : "read-only (no quorum)"));
}

bool ClusterFs::SyncNode(Node& node) {
  std::string node_conf = "/proc/" + std::to_string(node.lab.init_pid) + "/root/etc/corosync/corosync.conf";
  SyncOutcome outcome = SyncCorosyncConf(config_.cfs + "/corosync.conf", node_conf);
  if (!outcome.message.empty()) Log(node.lab.name + ": " + outcome.message);
  return outcome.needs_reload;
}

void ClusterFs::OnCorosyncConfChanged() {
  // Only the quorate partition sees a write to pmxcfs; the others catch up when they regain quorum.
  bool reload = false;
  for (Node& node : nodes_) {
    if (node.status && node.status->quorate && SyncNode(node)) reload = true;
  }
  if (reload) ReloadCorosync();
}

void ClusterFs::ReloadCorosync() {
  // `corosync-cfgtool -R` makes every corosync of the cluster re-read its file; one quorate node suffices.
  for (Node& node : nodes_) {
    if (!node.status || !node.status->quorate) continue;
    RunResult r = Run(InNode(node.lab.init_pid, {"corosync-cfgtool", "-R"}));
    Log(node.lab.name + ": corosync-cfgtool -R " + (r.exit_code == 0 ? "ok" : "failed: " + r.output));
    if (r.exit_code == 0) return;
  }
}

void ClusterFs::ScanLocks(std::chrono::steady_clock::time_point now) {
  for (const std::string& event : locks_.Scan(now)) Log(event);
}

bool ClusterFs::AllReported() const {
  for (const Node& node : nodes_) {
    if (!node.status) return false;
  }
  return true;
}

void ClusterFs::WriteStatus(const Node& node) const {
  const QuorumStatus& s = *node.status;
  nlohmann::json doc = {
      {"name", node.lab.name},
      {"nodeid", node.lab.nodeid},
      {"running", SameProcessAlive(node.lab.init_pid, 0)},
      {"corosync", s.corosync_up},
      {"quorate", s.quorate},
      {"members", s.members},
      {"total_votes", s.total_votes},
      {"expected_votes", s.expected_votes},
      {"quorum", s.quorum},
      {"ring_id", s.ring_id},
      {"cfs_writable", node.writable},
      {"updated_ms", NowMs()},
  };
  std::string path = config_.dir + "/status/" + node.lab.name + ".json";
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << doc.dump(2) << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace pvelab
