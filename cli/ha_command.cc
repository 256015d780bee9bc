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
  if (!options.wait.progress) options.wait.progress = ProgressTo(console);
  transport::ApiClient& api = *session.deps().api;
  return RunUnderApplyLock(session, options.no_lock, console, [&] {
    return options.action == "disarm" ? maintenance::DisarmHa(api, pve, options.mode, options.wait)
                                      : maintenance::ArmHa(api, pve, options.wait);
  });
}

}  // namespace hainfra::cli
