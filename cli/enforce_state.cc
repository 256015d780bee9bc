#include "cli/enforce_state.h"

#include <algorithm>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/planfile/atomic_write.h"
#include "hainfra/value.h"

namespace hainfra::cli {
namespace {

std::string StatePath(const std::string& dir) { return dir + "/enforce-state.json"; }

}  // namespace

std::chrono::seconds BackoffDelay(std::chrono::seconds every, int failures) {
  if (failures <= 0) return every;
  std::chrono::seconds delay = every;
  for (int i = 0; i < failures && delay < kMaxBackoff; ++i) delay *= 2;
  return std::max(every, std::min(delay, kMaxBackoff));
}

Result<RunnerState> ReadRunnerState(const std::string& dir) {
  std::ifstream in(StatePath(dir));
  if (!in) return RunnerState{};
  std::ostringstream text;
  text << in.rdbuf();
  RunnerState state;
  try {
    const Value json = Value::parse(text.str());
    state.consecutive_failures = json.value("consecutive_failures", 0);
    state.last_failure = json.value("last_failure", int64_t{0});
    state.next_run_not_before = json.value("next_run_not_before", int64_t{0});
    state.corrected_total = json.value("corrected_total", int64_t{0});
  } catch (const std::exception& e) {  // nlohmann reports bad JSON and wrong types by throwing
    return Fail(Code::kFailedPrecondition, StatePath(dir) + ": unreadable runner state (" + e.what() +
                                               "); remove it to start afresh");
  }
  return state;
}

Status WriteRunnerState(const std::string& dir, const RunnerState& state) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail(Code::kFailedPrecondition, dir + ": cannot create the state folder: " + std::strerror(errno));
  }
  const Value json{{"consecutive_failures", state.consecutive_failures},
                   {"last_failure", state.last_failure},
                   {"next_run_not_before", state.next_run_not_before},
                   {"corrected_total", state.corrected_total}};
  return planfile::WriteFileAtomically(StatePath(dir), json.dump(2) + "\n");
}

}  // namespace hainfra::cli
