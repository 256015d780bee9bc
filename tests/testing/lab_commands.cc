#include "tests/testing/lab_commands.h"

#include <chrono>
#include <map>
#include <sstream>

#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "cli/drift_command.h"
#include "cli/planning.h"
#include "providers/transport/api_settings.h"

namespace hainfra::testing {

CommandRun LabApply(const PvelabFixture& lab, const Spec& spec) {
  auto session = cli::ClusterSession::Open(spec, lab.EnvLookup(), nullptr);
  if (!session) return {1, "", session.error().message, ""};
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  cli::ApplyCommandOptions options;
  options.auto_approve = true;
  const int code = cli::RunSafeApply(spec, **session, options, {}, console);
  return {code, out.str(), err.str(), ""};
}

CommandRun LabDrift(const PvelabFixture& lab, const Spec& spec) {
  return RunWithSession(spec, lab.EnvLookup(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& console) {
    return cli::RunDrift(spec, kinds, cli::DriftCommandOptions{}, console);
  });
}

Result<Plan> LabPlan(const PvelabFixture& lab, const Spec& spec) {
  auto session = cli::ClusterSession::Open(spec, lab.EnvLookup(), nullptr);
  if (!session) return Fail(session.error());
  std::ostringstream err;
  return cli::ObserveAndPlan(spec, (*session)->kinds(), cli::PlanningOptions{}, err);
}

Result<std::unique_ptr<transport::ApiClient>> LabApiClient(const PvelabFixture& lab, const std::string& endpoint) {
  std::map<std::string, std::string> extra;
  if (!endpoint.empty()) extra["HAINFRA_API_ENDPOINT"] = endpoint;
  auto settings = transport::ResolveApiSettings(Value::object(), lab.EnvLookup(extra));
  if (!settings) return Fail(settings.error());
  settings->retry.max_attempts = 1;
  return transport::ApiClient::Create(std::move(*settings));
}

QuorumWatch::QuorumWatch(const PvelabFixture& lab, std::vector<std::string> nodes)
    : lab_(lab), nodes_(std::move(nodes)), thread_([this] { Run(); }) {}

void QuorumWatch::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void QuorumWatch::Run() {
  while (!stop_) {
    for (const std::string& node : nodes_) {
      if (!lab_.NodeStatus(node).value("quorate", false)) lost_ += node + " ";
    }
    ++samples_;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace hainfra::testing
