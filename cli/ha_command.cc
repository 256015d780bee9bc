#include "cli/ha_command.h"

#include <ostream>

#include "cli/apply_safety.h"

namespace hainfra::cli {

int RunHa(ClusterSession& session, HaCommandOptions options, Console& console) {
  if (options.action != "disarm" && options.action != "arm") {
    console.err << "error: usage: hainfra ha disarm --mode freeze|ignore | hainfra ha arm\n";
    return kExitError;
  }
  if (options.action == "disarm") {
    Result<std::string> mode = maintenance::ParseDisarmMode(options.mode);
    if (!mode) {
      console.err << "error: hainfra ha disarm needs --mode: " << mode.error().message << "\n";
      return kExitError;
    }
  } else if (!options.mode.empty()) {
    console.err << "error: --mode belongs to `hainfra ha disarm`; `hainfra ha arm` takes none\n";
    return kExitError;
  }
  const int pve = session.deps().pve.major;
  SafetyFlags flags;
  flags.no_lock = options.no_lock;
  Result<std::unique_ptr<safety::ClusterLock>> lock = TakeApplyLock(session, flags, console.err);
  if (!lock) {
    console.err << "error: " << lock.error().message << "\n";
    return kExitError;
  }
  if (!options.wait.progress) {
    options.wait.progress = [&console](const std::string& line) { console.out << line << std::endl; };
  }
  transport::ApiClient& api = *session.deps().api;
  Status done = options.action == "disarm" ? maintenance::DisarmHa(api, pve, options.mode, options.wait)
                                           : maintenance::ArmHa(api, pve, options.wait);
  ReleaseApplyLock(*lock, console.err);
  if (!done) {
    console.err << "error: " << done.error().message << "\n";
    return kExitError;
  }
  return kExitOk;
}

}  // namespace hainfra::cli
