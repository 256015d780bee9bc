#include "tests/testing/lab_session.h"

#include <optional>
#include <sstream>

#include "cli/apply_command.h"
#include "cli/cluster_session.h"
#include "cli/drift_command.h"
#include "cli/planning.h"
#include "cli/report_command.h"
#include "engine/spec/loader.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {

transport::EnvLookup LabSession::Env() const {
  std::map<std::string, std::string> env = lab_.Env();
  for (const auto& [name, value] : sim_.env()) {
    if (!name.starts_with("HAINFRA_SSH_")) env[name] = value;
  }
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

Result<Spec> LabSession::Load(std::string_view yaml) { return LoadSpecForTest(yaml, "spec.yaml"); }

Result<hainfra::Plan> LabSession::MakePlan(const Spec& spec) const {
  auto session = cli::ClusterSession::Open(spec, Env(), nullptr);
  if (!session) return Fail(session.error());
  std::ostringstream err;
  return cli::ObserveAndPlan(spec, (*session)->kinds(), cli::PlanningOptions{}, err);
}

CommandRun LabSession::RunApply(const Spec& spec, cli::ApplyCommandOptions options) const {
  return RunWithSession(spec, Env(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunApply(spec, kinds, options, console);
  });
}

CommandRun LabSession::RunDrift(const Spec& spec) const {
  return RunWithSession(spec, Env(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunDrift(spec, kinds, cli::DriftCommandOptions{}, console);
  });
}

CommandRun LabSession::RunReportPackages(const Spec& spec, bool json) const {
  CommandRun run;
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  cli::Console console{in, out, err, false, false, false};
  auto session = cli::ClusterSession::Open(spec, Env(), nullptr);
  if (!session) {
    run.exit_code = cli::kExitError;
    run.err = "error: " + session.error().message + "\n";
    return run;
  }
  run.exit_code = cli::RunReportPackages(spec, (*session)->deps().ssh, cli::ReportOptions{json}, console);
  run.out = out.str();
  run.err = err.str();
  return run;
}


}  // namespace hainfra::testing
