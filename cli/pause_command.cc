#include "cli/pause_command.h"

#include <ostream>

#include "cli/apply_safety.h"
#include "cli/enforce_time.h"
#include "cli/runner_info.h"

namespace hainfra::cli {

Result<std::unique_ptr<safety::PauseStore>> OpenPauseStore(ClusterSession& session, const PauseLocation& location) {
  transport::SshClient* ssh = session.deps().ssh;
  if (ssh == nullptr || ssh->settings().addresses.empty()) {
    return std::unique_ptr<safety::PauseStore>(safety::MakeLocalPauseStore(location.state_dir));
  }
  Result<std::string> node = QuorateSshNode(session);
  if (!node) return Fail(WithContext(node.error(), "the pause record lives in pmxcfs (" + location.cfs + "/priv)"));
  return safety::MakeClusterPauseStore(*ssh, *node, location.cfs);
}

std::string DescribePause(const safety::PauseRecord& record, const std::string& where) {
  std::string out = "paused";
  if (!record.by.empty()) out += " by " + record.by;
  if (record.since != 0) out += " since " + FormatRfc3339(record.since);
  out += record.until == 0 ? " until `hainfra resume`" : " until " + FormatRfc3339(record.until);
  if (!record.reason.empty()) out += ": " + record.reason;
  return out + " (" + where + ")";
}

Result<std::optional<safety::PauseRecord>> ActivePause(safety::PauseStore& store, int64_t now) {
  Result<std::optional<safety::PauseRecord>> record = store.Read();
  if (!record) return record;
  if (*record && !(*record)->ActiveAt(now)) return std::optional<safety::PauseRecord>();
  return record;
}

int RunPause(ClusterSession& session, const PauseOptions& options, std::ostream& out, std::ostream& err) {
  if (options.reason.empty()) {
    err << "error: --reason is required: say why enforcement stops (it is shown to every runner)\n";
    return kExitError;
  }
  safety::PauseRecord record;
  record.reason = options.reason;
  record.since = options.now;
  const Runner runner = CurrentRunner(transport::ProcessEnvironment());
  record.by = runner.user + "@" + runner.host;
  record.job_url = runner.ci_job_url;
  if (!options.until.empty()) {
    Result<int64_t> until = ParseUntil(options.until, options.now);
    if (!until) {
      err << "error: " << until.error().message << "\n";
      return kExitError;
    }
    record.until = *until;
  }
  Result<std::unique_ptr<safety::PauseStore>> store = OpenPauseStore(session, options.location);
  if (!store) {
    err << "error: " << store.error().message << "\n";
    return kExitError;
  }
  if (Status s = (*store)->Write(record); !s) {
    err << "error: " << s.error().message << "\n";
    return kExitError;
  }
  out << "Enforcement " << DescribePause(record, (*store)->Where()) << ".\n";
  if (!(*store)->ClusterWide()) {
    err << "warning: API-only (no SSH to the nodes): the pause is kept on this machine only; enforce runners on "
           "other machines do not see it\n";
  }
  return kExitOk;
}

int RunResume(ClusterSession& session, const PauseLocation& location, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<safety::PauseStore>> store = OpenPauseStore(session, location);
  if (!store) {
    err << "error: " << store.error().message << "\n";
    return kExitError;
  }
  Result<std::optional<safety::PauseRecord>> record = (*store)->Read();
  if (Status s = (*store)->Clear(); !s) {
    err << "error: " << s.error().message << "\n";
    return kExitError;
  }
  if (record && *record) {
    out << "Enforcement resumed (it was " << DescribePause(**record, (*store)->Where()) << ").\n";
  } else {
    out << "Enforcement was not paused (" << (*store)->Where() << ").\n";
  }
  return kExitOk;
}

bool PrintPauseNotice(ClusterSession& session, const PauseLocation& location, int64_t now, std::ostream& err) {
  Result<std::unique_ptr<safety::PauseStore>> store = OpenPauseStore(session, location);
  if (!store) {
    err << "warning: cannot tell whether enforcement is paused: " << store.error().message << "\n";
    return false;
  }
  Result<std::optional<safety::PauseRecord>> pause = ActivePause(**store, now);
  if (!pause) {
    err << "warning: cannot tell whether enforcement is paused: " << pause.error().message << "\n";
    return false;
  }
  if (!*pause) return false;
  err << "notice: enforcement is " << DescribePause(**pause, (*store)->Where()) << "\n";
  return true;
}

}  // namespace hainfra::cli
