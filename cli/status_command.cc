#include "cli/status_command.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/enforce_state.h"
#include "engine/planfile/atomic_write.h"
#include "providers/status/status_reader.h"

namespace hainfra::cli {

std::string LastEnforceRun(const std::string& report_file, const std::string& state_dir) {
  std::string line;
  if (!report_file.empty()) {
    std::ifstream in(report_file);
    std::stringstream text;
    text << in.rdbuf();
    Value report = Value::parse(text.str(), nullptr, false);
    if (in && report.is_object()) {
      line = report.value("outcome", "?") + " at " + report.value("started", "?");
      if (const std::string reason = report.value("reason", ""); !reason.empty()) line += " (" + reason + ")";
    }
  }
  if (!state_dir.empty() && std::filesystem::exists(std::filesystem::path(state_dir) / "enforce-state.json")) {
    Result<RunnerState> state = ReadRunnerState(state_dir);
    if (state && state->consecutive_failures > 0) {
      line += std::string(line.empty() ? "" : "; ") + std::to_string(state->consecutive_failures) +
              " failed run(s) in a row";
    } else if (state && line.empty()) {
      line = "no failed runs in a row";
    }
  }
  return line;
}

int RunStatus(ClusterSession& session, const StatusOptions& options, Console& console) {
  Result<status::StatusReport> report = status::ReadStatus(*session.deps().api, session.deps().ssh);
  if (!report) {
    console.err << "error: " << report.error().message << "\n";
    if (!options.metrics.empty()) {
      (void)planfile::WriteFileAtomically(options.metrics, "# TYPE hainfra_cluster_health gauge\nhainfra_cluster_health 1\n");
    }
    return kExitError;
  }
  report->last_enforce = LastEnforceRun(options.enforce_report, options.state_dir);
  if (options.json) {
    console.out << status::StatusJson(*report).dump(2) << "\n";
  } else {
    console.out << status::RenderStatusText(*report, console.color);
  }
  if (!options.metrics.empty()) {
    if (Status written = planfile::WriteFileAtomically(options.metrics, status::StatusMetrics(*report)); !written) {
      console.err << "error: " << written.error().message << "\n";
      return kExitError;
    }
  }
  switch (report->Overall()) {
    case status::Severity::kError: return kExitError;
    case status::Severity::kWarning: return kExitChanges;
    default: return kExitOk;
  }
}

}  // namespace hainfra::cli
