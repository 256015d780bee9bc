// Day-2 operations on real nodes (pvelab joined to pvesim): `hainfra maintain` sends the HA manager's node
// maintenance command with the node's `ha-manager crm-command` over SSH (the CRM is pvesim's, reading the
// lab's /etc/pve/ha/crm_commands), and `hainfra status` reads every node's real corosync links over SSH.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/apply_safety.h"
#include "cli/maintain_command.h"
#include "cli/plan_command.h"
#include "cli/status_command.h"
#include "engine/spec/loader.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

constexpr const char* kLabOperationsSpec = R"(
cluster:
  name: hainfra-lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

struct OpsRun {
  int exit_code = -1;
  std::string out, err;
};

class LabOperations : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    o.sim_args = {"--ha-tick", "200"};
    return o;
  }

  std::unique_ptr<cli::ClusterSession> Session() {
    spec::LoadResult loaded = spec::LoadSpecText(kLabOperationsSpec, "spec.yaml");
    EXPECT_FALSE(HasErrors(loaded.diagnostics));
    spec_ = std::move(loaded.spec);
    auto session = cli::ClusterSession::Open(spec_, lab_->EnvLookup(), nullptr);
    EXPECT_TRUE(session.has_value()) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  OpsRun Status() {
    auto session = Session();
    if (!session) return {};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    int code = cli::RunStatus(*session, {}, console);
    return {code, out.str(), err.str()};
  }

  OpsRun Maintain(const std::string& node, bool enter) {
    auto session = Session();
    if (!session) return {};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::MaintainOptions options;
    options.node = node;
    options.enter = enter;
    options.exit = !enter;
    options.maintenance.timeout = std::chrono::seconds(30);
    options.maintenance.poll = std::chrono::milliseconds(200);
    int code = cli::RunMaintain(*session, options, console);
    return {code, out.str(), err.str()};
  }

  // The node of guest VMID as /cluster/resources reports it ("" when missing), and whether it runs.
  std::pair<std::string, bool> Guest(transport::ApiClient& api, int vmid) {
    Result<Value> guests = api.Get("/cluster/resources", {{"type", "vm"}});
    if (!guests) return {"", false};
    for (const Value& g : *guests) {
      if (g.value("vmid", 0) == vmid) return {g.value("node", ""), g.value("status", "") == "running"};
    }
    return {"", false};
  }

  // The lab's three nodes as a spec, pve-02 with `maintenance: VALUE`.
  Spec NodesSpec(const std::string& value) {
    std::string yaml = std::string(kLabOperationsSpec) + "nodes:\n";
    for (const std::string& node : lab_->Nodes()) {
      yaml += "  - name: " + node + "\n    address: " + lab_->Address(node) + "\n";
      if (node == "pve-02") yaml += "    maintenance: " + value + "\n";
    }
    spec::LoadResult loaded = spec::LoadSpecText(yaml, "spec.yaml");
    EXPECT_FALSE(HasErrors(loaded.diagnostics)) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].ToString());
    return std::move(loaded.spec);
  }

  OpsRun ApplySpec(const Spec& spec) {
    auto session = cli::ClusterSession::Open(spec, lab_->EnvLookup(), nullptr);
    if (!session) return {1, "", session.error().message};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::ApplyCommandOptions options;
    options.auto_approve = true;
    int code = cli::RunSafeApply(spec, **session, options, {}, console);
    return {code, out.str(), err.str()};
  }

  // `plan --detailed-exitcode`: 0 when the cluster matches the spec.
  OpsRun PlanSpec(const Spec& spec) {
    auto session = cli::ClusterSession::Open(spec, lab_->EnvLookup(), nullptr);
    if (!session) return {1, "", session.error().message};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::PlanCommandOptions options;
    options.detailed_exitcode = true;
    int code = cli::RunPlan(spec, (*session)->kinds(), options, console);
    return {code, out.str(), err.str()};
  }

  Spec spec_;
};

TEST_F(LabOperations, NodesMaintenanceInTheSpecIsAppliedAndThenPlansToNoChanges) {
  Spec enter = NodesSpec("true");
  OpsRun planned = PlanSpec(enter);
  EXPECT_EQ(planned.exit_code, 2) << planned.out << planned.err;
  EXPECT_NE(planned.out.find("node_maintenance/pve-02"), std::string::npos) << planned.out;
  OpsRun applied = ApplySpec(enter);
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  auto session = Session();
  ASSERT_TRUE(session);
  EXPECT_EQ(maintenance::LrmState(*session->deps().api, "pve-02").value_or(""), "maintenance");
  OpsRun again = PlanSpec(enter);
  EXPECT_EQ(again.exit_code, 0) << "applied, the spec plans to no changes:\n" << again.out << again.err;

  Spec leave = NodesSpec("false");
  OpsRun left = ApplySpec(leave);
  ASSERT_EQ(left.exit_code, 0) << left.out << left.err;
  EXPECT_NE(maintenance::LrmState(*session->deps().api, "pve-02").value_or(""), "maintenance");
  OpsRun after = PlanSpec(leave);
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
}

TEST_F(LabOperations, MaintenanceOverSshMovesAnHaGuestAwayAndBack) {
  auto session = Session();
  ASSERT_TRUE(session);
  transport::ApiClient& api = *session->deps().api;
  Result<Value> created = api.Post("/nodes/pve-02/qemu", {{"vmid", 100}, {"name", "web"}});
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(api.WaitTask(created->get<std::string>(), std::chrono::seconds(30)));
  ASSERT_TRUE(api.Post("/cluster/ha/resources", {{"sid", "vm:100"}}));
  ASSERT_TRUE(PvelabFixture::WaitFor([&] { return Guest(api, 100).second; }, std::chrono::seconds(20)));

  OpsRun enter = Maintain("pve-02", true);
  ASSERT_EQ(enter.exit_code, 0) << enter.out << enter.err;
  EXPECT_NE(enter.out.find("done: the LRM of pve-02 in maintenance mode"), std::string::npos) << enter.out;
  EXPECT_NE(Guest(api, 100).first, "pve-02");
  EXPECT_TRUE(Guest(api, 100).second) << "vm:100 kept running while it moved";
  LabCommand ha = lab_->Ssh("pve-01", "ha-manager status");
  EXPECT_NE(ha.output.find("lrm pve-02 (maintenance mode"), std::string::npos) << ha.output;

  OpsRun leave = Maintain("pve-02", false);
  ASSERT_EQ(leave.exit_code, 0) << leave.out << leave.err;
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Guest(api, 100).first == "pve-02"; }, std::chrono::seconds(20)));
}

TEST_F(LabOperations, StatusReadsEveryNodesCorosyncLinksAndNamesALinkThatIsDown) {
  OpsRun healthy = Status();
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err;
  EXPECT_NE(healthy.out.find("node     pve-03 online, votes 1, lrm "), std::string::npos) << healthy.out;
  EXPECT_NE(healthy.out.find("links 0:up 1:up"), std::string::npos) << healthy.out;

  ASSERT_TRUE(lab_->Fault({"link-down", "pve-03", "link1"}));
  OpsRun degraded;
  EXPECT_TRUE(PvelabFixture::WaitFor(
      [&] {
        degraded = Status();
        return degraded.out.find("pve-03 link1 is not connected to") != std::string::npos;
      },
      std::chrono::seconds(20)))
      << degraded.out << degraded.err;
  EXPECT_EQ(degraded.exit_code, 2) << degraded.out;
  EXPECT_NE(degraded.out.find("DEGRADED"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::testing
