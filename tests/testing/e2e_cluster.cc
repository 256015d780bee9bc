#include "tests/testing/e2e_cluster.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <sstream>

#include "cli/apply_command.h"
#include "cli/cluster_session.h"
#include "cli/drift_command.h"
#include "cli/plan_command.h"
#include "cli/planning.h"
#include "engine/spec/loader.h"

namespace hainfra::testing {

CommandRun RunWithSession(const Spec& spec, const transport::EnvLookup& env, const SessionCommand& command) {
  CommandRun run;
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  cli::Console console{in, out, err, false, false, false};
  std::mutex log_mu;
  auto log = [&](transport::LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(log_mu);
    run.log.append(line).append("\n");
  };
  auto session = cli::ClusterSession::Open(spec, env, log);
  if (!session) {
    run.exit_code = cli::kExitError;
    run.err = "error: " + session.error().message + "\n";
    return run;
  }
  run.exit_code = command((*session)->kinds(), console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

Result<Spec> LoadSpecForTest(std::string_view yaml, const std::string& file_name) {
  spec::LoadResult loaded = spec::LoadSpecText(yaml, file_name);
  if (HasErrors(loaded.diagnostics)) {
    std::string text;
    for (const Diagnostic& d : loaded.diagnostics) text += d.ToString() + "\n";
    return Fail(Code::kInvalidArgument, text);
  }
  return std::move(loaded.spec);
}

std::unique_ptr<E2eCluster> E2eCluster::Start(const PvesimOptions& options) {
  auto cluster = std::unique_ptr<E2eCluster>(new E2eCluster());
  cluster->sim_ = PvesimProcess::Start(options);
  return cluster;
}

transport::EnvLookup E2eCluster::Env() const {
  std::map<std::string, std::string> env = sim_->env();
  // pvesim's node addresses are fictional: no SSH goes to them unless a test gives real ones (the lab's).
  bool ssh_given = false;
  for (const auto& [name, value] : extra_env_) ssh_given = ssh_given || name.starts_with("HAINFRA_SSH");
  if (!ssh_given) env["HAINFRA_SSH"] = "off";
  for (const auto& [name, value] : extra_env_) env[name] = value;
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

Result<Spec> E2eCluster::Load(std::string_view yaml, const std::string& file_name) const {
  return LoadSpecForTest(yaml, file_name);
}

Result<hainfra::Plan> E2eCluster::MakePlan(const Spec& spec, const cli::PlanningOptions& options) const {
  auto session = cli::ClusterSession::Open(spec, Env(), nullptr);
  if (!session) return Fail(session.error());
  std::ostringstream err;
  return cli::ObserveAndPlan(spec, (*session)->kinds(), options, err);
}

CommandRun E2eCluster::RunPlan(const Spec& spec, cli::PlanCommandOptions options) const {
  return RunWithSession(spec, Env(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunPlan(spec, kinds, options, console);
  });
}

CommandRun E2eCluster::RunApply(const Spec& spec, cli::ApplyCommandOptions options) const {
  return RunWithSession(spec, Env(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunApply(spec, kinds, options, console);
  });
}

CommandRun E2eCluster::RunDrift(const Spec& spec, cli::DriftCommandOptions options) const {
  return RunWithSession(spec, Env(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunDrift(spec, kinds, options, console);
  });
}

cli::ApplyCommandOptions E2eCluster::DefaultApply() {
  cli::ApplyCommandOptions options;
  options.auto_approve = true;
  options.retry.initial = std::chrono::milliseconds(50);
  options.retry.max = std::chrono::milliseconds(200);
  return options;
}

}  // namespace hainfra::testing
