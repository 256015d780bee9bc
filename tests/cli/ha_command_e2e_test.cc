// `hainfra ha disarm|arm` against pvesim: PVE 9's cluster-wide disarm queued for the CRM, waited for, shown by
// `hainfra status`, blocking node maintenance while it lasts; refused with a clear error on PVE 8.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <thread>

#include "cli/cluster_session.h"
#include "cli/ha_command.h"
#include "cli/maintain_command.h"
#include "cli/status_command.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

constexpr const char* kHaArmingSpec = R"(
cluster:
  name: pvesim
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

struct ArmingRun {
  int exit_code = -1;
  std::string out, err;
};

PvesimOptions ArmingSim(int pve) {
  PvesimOptions o;
  o.pve = pve;
  o.args = {"--ha-tick", "100"};
  return o;
}

// Runs `hainfra ha ACTION [--mode MODE] --no-lock`, or `hainfra status` (action "status"), or `hainfra maintain
// NODE --enter` (action "maintain"), through a fresh session.
ArmingRun ArmingCommand(E2eCluster& cluster, const std::string& action, const std::string& mode = "") {
  auto spec = cluster.Load(kHaArmingSpec);
  if (!spec) return {1, "", spec.error().message};
  auto session = cli::ClusterSession::Open(*spec, cluster.Env(), nullptr);
  if (!session) return {1, "", session.error().message};
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ArmingRun run;
  if (action == "status") {
    run.exit_code = cli::RunStatus(**session, {}, console);
  } else if (action == "maintain") {
    cli::MaintainOptions options;
    options.node = mode;
    options.enter = true;
    options.no_lock = true;
    options.crm = [](const std::vector<std::string>&) { return hainfra::Status(); };
    options.maintenance.timeout = std::chrono::seconds(5);
    run.exit_code = cli::RunMaintain(**session, options, console);
  } else {
    cli::HaCommandOptions options;
    options.action = action;
    options.mode = mode;
    options.no_lock = true;
    options.wait.timeout = std::chrono::seconds(10);
    options.wait.poll = std::chrono::milliseconds(100);
    run.exit_code = cli::RunHa(**session, options, console);
  }
  run.out = out.str();
  run.err = err.str();
  return run;
}

bool ArmingWait(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

// The HA state of SID as GET /cluster/ha/status/current shows it.
std::string ArmingServiceState(PvesimClient& c, const std::string& sid) {
  for (const auto& e : c.Get("/cluster/ha/status/current").data())
    if (e.value("sid", "") == sid) return e.value("state", "");
  return "";
}

TEST(HaArmingE2e, DisarmFreezesHaStatusShowsItMaintenanceIsRefusedAndArmRestoresIt) {
  E2E_START_OR_SKIP(cluster, ArmingSim(9));
  PvesimClient c = cluster->Client();
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}}).status, 200);
  ASSERT_TRUE(ArmingWait([&] { return ArmingServiceState(c, "vm:100") == "started"; }, std::chrono::seconds(10)));

  ArmingRun disarm = ArmingCommand(*cluster, "disarm", "freeze");
  ASSERT_EQ(disarm.exit_code, 0) << disarm.out << disarm.err;
  EXPECT_NE(disarm.out.find("asking the HA manager to disarm (resource mode freeze)"), std::string::npos) << disarm.out;
  EXPECT_NE(disarm.out.find("done: the HA stack disarmed, every watchdog released ("), std::string::npos) << disarm.out;
  EXPECT_EQ(ArmingServiceState(c, "vm:100"), "freeze");

  ArmingRun status = ArmingCommand(*cluster, "status");
  EXPECT_EQ(status.exit_code, 2) << "a disarmed HA stack protects nothing: degraded\n" << status.out;
  EXPECT_NE(status.out.find("DISARMED (disarmed, resource mode freeze)"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("warning: HA is disarmed (resource mode freeze): no node fences"), std::string::npos)
      << status.out;

  ArmingRun maintain = ArmingCommand(*cluster, "maintain", "pve-02");
  EXPECT_EQ(maintain.exit_code, 1) << maintain.out;
  EXPECT_NE(maintain.err.find("the HA manager ignores node maintenance until it is armed again (`hainfra ha arm`)"),
            std::string::npos) << maintain.err;

  ArmingRun other_mode = ArmingCommand(*cluster, "disarm", "ignore");
  EXPECT_EQ(other_mode.exit_code, 1) << other_mode.out;
  EXPECT_NE(other_mode.err.find("already disarmed with resource mode freeze"), std::string::npos) << other_mode.err;

  ArmingRun arm = ArmingCommand(*cluster, "arm");
  ASSERT_EQ(arm.exit_code, 0) << arm.out << arm.err;
  EXPECT_NE(arm.out.find("done: the HA stack armed, every LRM out of disarm mode ("), std::string::npos) << arm.out;
  EXPECT_TRUE(ArmingWait([&] { return ArmingServiceState(c, "vm:100") == "started"; }, std::chrono::seconds(10)));
  EXPECT_EQ(ArmingCommand(*cluster, "status").exit_code, 0);
  EXPECT_NE(ArmingCommand(*cluster, "arm").out.find("the HA stack is armed"), std::string::npos) << "nothing to do";

  ArmingRun ignore = ArmingCommand(*cluster, "disarm", "ignore");
  ASSERT_EQ(ignore.exit_code, 0) << ignore.out << ignore.err;
  EXPECT_EQ(ArmingServiceState(c, "vm:100"), "ignore") << "HA tracks no resource";
  EXPECT_EQ(ArmingCommand(*cluster, "arm").exit_code, 0);
}

TEST(HaArmingE2e, WithoutAModeOrOnPve8ItIsRefusedWithAClearError) {
  E2E_START_OR_SKIP(cluster, ArmingSim(8));
  ArmingRun no_mode = ArmingCommand(*cluster, "disarm");
  EXPECT_EQ(no_mode.exit_code, 1);
  EXPECT_NE(no_mode.err.find("hainfra ha disarm needs --mode"), std::string::npos) << no_mode.err;
  ArmingRun pve8 = ArmingCommand(*cluster, "disarm", "freeze");
  EXPECT_EQ(pve8.exit_code, 1);
  EXPECT_NE(pve8.err.find("cluster-wide HA disarm/arm exists from Proxmox VE 9 on"), std::string::npos) << pve8.err;
  EXPECT_NE(pve8.err.find("this cluster runs Proxmox VE 8"), std::string::npos) << pve8.err;
  EXPECT_EQ(ArmingCommand(*cluster, "arm").exit_code, 1);
}

}  // namespace
}  // namespace hainfra::testing
