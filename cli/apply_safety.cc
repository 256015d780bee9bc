#include "cli/apply_safety.h"

#include <ostream>

#include "cli/apply_command.h"

namespace hainfra::cli {

Result<std::string> QuorateSshNode(ClusterSession& session) {
  transport::SshClient* ssh = session.deps().ssh;
  if (ssh == nullptr || ssh->settings().addresses.empty()) {
    return Fail(Code::kFailedPrecondition, "no node is reachable over SSH (no node addresses in the spec and no "
                                           "HAINFRA_SSH_ADDRESSES)");
  }
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*session.deps().api);
  if (!status) return Fail(status.error());
  if (!status->quorate) {
    return Fail(Code::kFailedPrecondition, "the cluster has no quorum: its /etc/pve is read-only, no lock can be taken");
  }
  const auto& addresses = ssh->settings().addresses;
  if (!status->local.empty() && addresses.contains(status->local)) return status->local;
  for (const auto& [node, online] : status->online) {
    if (online && addresses.contains(node)) return node;
  }
  if (!status->clustered && addresses.size() == 1) return addresses.begin()->first;
  return Fail(Code::kFailedPrecondition, "no online node of the cluster has an SSH address");
}

Result<std::unique_ptr<safety::ClusterLock>> TakeApplyLock(ClusterSession& session, const SafetyFlags& flags,
                                                           std::ostream& err) {
  if (flags.no_lock) {
    err << "warning: --no-lock: applying without the cluster lock; nothing stops another apply from running "
           "at the same time\n";
    return std::unique_ptr<safety::ClusterLock>();
  }
  Result<std::string> node = QuorateSshNode(session);
  if (!node) {
    return Fail(Code::kFailedPrecondition,
                "apply holds a cluster-wide lock in /etc/pve/priv/lock over SSH, and " + node.error().message +
                    "; configure SSH, or re-run with --no-lock when no other apply can run at the same time");
  }
  safety::LockOptions lock_options;
  lock_options.cfs = flags.pause.cfs;  // the lock lives beside the pause record, in pmxcfs
  return safety::ClusterLock::Acquire(*session.deps().ssh, *node, lock_options);
}

void WireGates(ClusterSession& session, const SafetyFlags& flags, ApplyCommandOptions& options) {
  safety::GateOptions gate;
  gate.bootstrap_single_node = flags.bootstrap_single_node;
  transport::ApiClient& api = *session.deps().api;
  options.preflight = [&api, gate](const std::vector<std::string>& nodes) {
    return safety::CheckQuorum(api, nodes, gate);
  };
  options.health_gate = safety::MakeHealthGate(api, gate);
}

int RunSafeApply(const Spec& spec, ClusterSession& session, ApplyCommandOptions options, const SafetyFlags& flags,
                 Console& console) {
  if (flags.now != 0 && PrintPauseNotice(session, flags.pause, flags.now, console.err)) {
    if (!flags.ignore_pause) {
      console.err << "error: refusing to apply while enforcement is paused; `hainfra resume` ends the pause, "
                     "--ignore-pause applies anyway\n";
      return kExitError;
    }
    console.err << "warning: --ignore-pause: applying although enforcement is paused\n";
  }
  // The lock is held from before planning to the end, so what was planned is what is applied.
  Result<std::unique_ptr<safety::ClusterLock>> lock = TakeApplyLock(session, flags, console.err);
  if (!lock) {
    console.err << "error: " << lock.error().message << "\n";
    return kExitError;
  }
  WireGates(session, flags, options);
  int exit_code = RunApply(spec, session.kinds(), options, console);
  if (*lock) {
    if (!(*lock)->held()) {
      console.err << "error: the cluster lock was lost during the apply (not refreshed in time, or forced)\n";
      exit_code = kExitError;
    }
  }
  ReleaseApplyLock(*lock, console.err);
  return exit_code;
}

void ReleaseApplyLock(const std::unique_ptr<safety::ClusterLock>& lock, std::ostream& err) {
  if (!lock) return;
  if (Status released = lock->Release(); !released) err << "warning: " << released.error().message << "\n";
}

int RunUnderApplyLock(ClusterSession& session, bool no_lock, Console& console, const std::function<Status()>& operation) {
  SafetyFlags flags;
  flags.no_lock = no_lock;
  Result<std::unique_ptr<safety::ClusterLock>> lock = TakeApplyLock(session, flags, console.err);
  if (!lock) {
    console.err << "error: " << lock.error().message << "\n";
    return kExitError;
  }
  Status done = operation();
  ReleaseApplyLock(*lock, console.err);
  if (!done) {
    console.err << "error: " << done.error().message << "\n";
    return kExitError;
  }
  return kExitOk;
}

std::function<void(const std::string&)> ProgressTo(Console& console) {
  return [&console](const std::string& line) { console.out << line << std::endl; };
}

int RunUnlock(ClusterSession& session, bool force, std::ostream& out, std::ostream& err, const std::string& cfs) {
  Result<std::string> node = QuorateSshNode(session);
  if (!node) {
    err << "error: " << node.error().message << "\n";
    return kExitError;
  }
  transport::SshClient& ssh = *session.deps().ssh;
  Result<safety::LockHolder> holder = safety::ReadLockHolder(ssh, *node, safety::kApplyLockName, cfs);
  if (!holder) {
    if (holder.error().code == Code::kNotFound) {
      out << "the cluster lock is not held\n";
      return kExitOk;
    }
    err << "error: " << holder.error().message << "\n";
    return kExitError;
  }
  out << "the cluster lock is held by " << holder->Describe() << "\n";
  if (!force) {
    err << "error: not removed; `hainfra unlock --force` removes it — only when that apply is certainly dead\n";
    return kExitError;
  }
  err << "warning: removing the cluster lock held by " << holder->Describe()
      << "; if that apply is still running, two applies may now change the cluster at once\n";
  Result<safety::LockHolder> removed = safety::ForceUnlock(ssh, *node, safety::kApplyLockName, cfs);
  if (!removed && removed.error().code != Code::kNotFound) {
    err << "error: " << removed.error().message << "\n";
    return kExitError;
  }
  out << "the cluster lock was removed\n";
  return kExitOk;
}

}  // namespace hainfra::cli
