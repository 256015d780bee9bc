// What makes an apply safe to run on a live cluster, wired from providers/safety: the cluster lock (taken
// over SSH on a quorate node before planning, held until the end), the quorum gate (before any step) and
// the health gate (between the nodes of rolling kinds). Also `hainfra unlock`.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "cli/cluster_session.h"
#include "cli/command_options.h"
#include "cli/pause_command.h"
#include "providers/safety/cluster_lock.h"
#include "providers/safety/quorum_gate.h"

namespace hainfra::cli {

struct SafetyFlags {
  bool no_lock = false;                // --no-lock: apply without the cluster lock (needed when no SSH exists)
  bool bootstrap_single_node = false;  // --bootstrap-single-node: a lone non-quorate node may be changed
  bool ignore_pause = false;           // --ignore-pause: apply although enforcement is paused
  PauseLocation pause;                 // where `hainfra pause` keeps its record
  int64_t now = 0;                     // Unix seconds, for an expiring pause; 0: not checked
};

// Takes the apply lock unless flags.no_lock (then null, with a warning on `err`). Refuses when no node
// is reachable over SSH (no addresses configured) and --no-lock was not given.
Result<std::unique_ptr<safety::ClusterLock>> TakeApplyLock(ClusterSession& session, const SafetyFlags& flags,
                                                           std::ostream& err);

// Releases a lock TakeApplyLock took (nothing when null); a failed release is a warning on `err`.
void ReleaseApplyLock(const std::unique_ptr<safety::ClusterLock>& lock, std::ostream& err);

// One cluster operation of a command (maintain, reboot, ha) under the apply lock: takes it (none with
// `no_lock`), runs `operation`, releases it; a failure is "error: ..." on console.err. Exit code.
int RunUnderApplyLock(ClusterSession& session, bool no_lock, Console& console, const std::function<Status()>& operation);

// A progress callback that prints each line on console.out.
std::function<void(const std::string&)> ProgressTo(Console& console);

// Sets options.preflight (quorum gate + the plan's nodes online) and options.health_gate.
void WireGates(ClusterSession& session, const SafetyFlags& flags, ApplyCommandOptions& options);

// `hainfra apply` on a live cluster: the pause check (refused while paused, unless flags.ignore_pause),
// TakeApplyLock, WireGates, RunApply, release. Exit code.
int RunSafeApply(const Spec& spec, ClusterSession& session, ApplyCommandOptions options, const SafetyFlags& flags,
                 Console& console);

// `hainfra unlock [--force]`: shows the holder; with force removes the lock (warning first). Exit code.
int RunUnlock(ClusterSession& session, bool force, std::ostream& out, std::ostream& err,
              const std::string& cfs = "/etc/pve");

// A quorate node the SSH client can reach (the API's node first), for cluster-wide /etc/pve work.
Result<std::string> QuorateSshNode(ClusterSession& session);

}  // namespace hainfra::cli
