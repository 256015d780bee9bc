// `hainfra status` and `hainfra maintain` against pvesim over the real API transport: a healthy, a degraded
// and a quorum-less cluster; a node entering and leaving HA maintenance (the HA manager's command queued as
// `ha-manager crm-command` queues it — in pvesim's /etc/pve, since these tests have no SSH).
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "cli/apply_command.h"
#include "cli/cluster_session.h"
#include "cli/drift_command.h"
#include "cli/maintain_command.h"
#include "cli/plan_command.h"
#include "cli/reboot_command.h"
#include "cli/status_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

constexpr const char* kOperationsSpec = R"(
cluster:
  name: pvesim
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

PvesimOptions CephAndFastHa() {
  PvesimOptions o;
  o.args = {"--ha-tick", "100", "--ceph"};
  return o;
}

template <typename Pred>
bool InTenSeconds(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

json OpsGuest(PvesimClient& c, int vmid) {
  for (const auto& r : c.Get("/cluster/resources", {{"type", "vm"}}).data())
    if (r["vmid"] == vmid) return r;
  return nullptr;
}

// An HA guest on `node`, running.
void HaGuest(PvesimClient& c, int vmid, const std::string& node) {
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/" + node + "/qemu", {{"vmid", std::to_string(vmid)}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:" + std::to_string(vmid)}}).status, 200);
  ASSERT_TRUE(InTenSeconds([&] { return OpsGuest(c, vmid)["status"] == "running"; }));
}

struct StatusRun {
  int exit_code = -1;
  std::string out, err;
};

StatusRun OpsStatus(E2eCluster& cluster, bool json_output = false, cli::StatusOptions options = {}) {
  StatusRun run;
  auto spec = cluster.Load(kOperationsSpec);
  if (!spec) return {1, "", spec.error().message};
  auto session = cli::ClusterSession::Open(*spec, cluster.Env(), nullptr);
  if (!session) return {1, "", session.error().message};
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  options.json = json_output;
  run.exit_code = cli::RunStatus(**session, options, console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(StatusE2e, AHealthyClusterExitsZero) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  HaGuest(c, 100, "pve-01");
  StatusRun run = OpsStatus(*cluster);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("cluster pvesim: HEALTHY"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("quorum   yes, 3/3 votes (2 needed)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ceph     HEALTH_OK, OSDs 6 up / 6 in / 6"), std::string::npos) << run.out;
}

TEST(StatusE2e, AnOsdOutAGuestInErrorAndAnOfflineNodeMakeItDegraded) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  HaGuest(c, 100, "pve-01");
  ASSERT_EQ(c.Post("/nodes/pve-01/ceph/osd/2/out").status, 200);
  ASSERT_EQ(c.Control("POST", "/faults/rules", {{"task", {{"type", "qmstart"}, {"id", "101"}}}, {"message", "start failed: QEMU exited with code 1"}}).status, 200);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu", {{"vmid", "101"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:101"}}).status, 200);
  ASSERT_EQ(c.Control("POST", "/nodes/pve-03/offline").status, 200);
  ASSERT_TRUE(InTenSeconds([&] { return OpsStatus(*cluster).out.find("vm:101 on pve-02 is error") != std::string::npos; }))
      << OpsStatus(*cluster).out;

  StatusRun run = OpsStatus(*cluster);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.out.find("DEGRADED"), std::string::npos);
  EXPECT_NE(run.out.find("warning: node pve-03 is offline"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("OSDs out"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("warning: vm:101 on pve-02 is error (requested started)"), std::string::npos) << run.out;
  StatusRun as_json = OpsStatus(*cluster, true);
  json report = json::parse(as_json.out);
  EXPECT_EQ(report["health"], "degraded");
  EXPECT_EQ(report["quorum"]["votes_present"], 2);
  EXPECT_LT(report["ceph"]["osds_in"].get<int>(), report["ceph"]["osds"].get<int>());
}

TEST(StatusE2e, WritesPrometheusMetricsAndShowsTheLastEnforceRun) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  ASSERT_EQ(c.Control("PUT", "/nodes/pve-02/packages/proxmox-kernel-6.17.9-1-pve-signed", {{"version", "6.17.9-1"}}).status, 200);
  TempDir dir("status");
  WriteText(dir.File("report.json"),
            R"({"version": 1, "outcome": "failed", "started": "2026-12-07T15:30:00Z", "reason": "the cluster lock is held"})");
  cli::StatusOptions options;
  options.metrics = dir.File("status.prom");
  options.enforce_report = dir.File("report.json");
  StatusRun run = OpsStatus(*cluster, false, options);
  EXPECT_EQ(run.exit_code, 0) << "a pending reboot is a notice: " << run.out << run.err;
  EXPECT_NE(run.out.find("enforce  failed at 2026-12-07T15:30:00Z (the cluster lock is held)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("notice: pve-02 runs kernel 6.17.2-1-pve, newest installed is 6.17.9-1-pve (reboot pending)"),
            std::string::npos)
      << run.out;
  const std::string metrics = ReadText(dir.File("status.prom"));
  EXPECT_NE(metrics.find("hainfra_cluster_health 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hainfra_node_reboot_pending{node=\"pve-02\"} 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hainfra_node_reboot_pending{node=\"pve-01\"} 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hainfra_ceph_osds{state=\"up\"} 6\n"), std::string::npos) << metrics;
}

TEST(StatusE2e, AClusterWithoutQuorumExitsOne) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  ASSERT_EQ(c.Control("POST", "/quorum/lose").status, 200);
  StatusRun run = OpsStatus(*cluster);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("FAILED"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("error: the cluster 'pvesim' has no quorum (seen from pve-01: 1 of 3 votes, 2 needed)"),
            std::string::npos)
      << run.out;
}

// A CRM command as `ha-manager crm-command` queues it: a line in /etc/pve/ha/crm_commands.
maintenance::CrmCommand QueueInPvesim(E2eCluster& cluster) {
  return [&cluster](const std::vector<std::string>& args) -> hainfra::Status {
    if (args.size() != 3 || args[0] != "node-maintenance") return Fail(Code::kInvalidArgument, "unexpected command");
    PvesimClient c = cluster.Client();
    auto old = c.Control("GET", "/files/ha/crm_commands");
    std::string text = old.status == 200 ? old.data().value("content", "") : "";
    text += args[1] + "-node-maintenance " + args[2] + "\n";
    if (c.Control("PUT", "/files/ha/crm_commands", {{"content", text}}).status != 200) {
      return Fail(Code::kUnavailable, "could not queue the command");
    }
    return Ok();
  };
}

StatusRun Maintain(E2eCluster& cluster, const std::string& node, bool enter, maintenance::GuestPolicy policy) {
  StatusRun run;
  auto spec = cluster.Load(kOperationsSpec);
  if (!spec) return {1, "", spec.error().message};
  auto session = cli::ClusterSession::Open(*spec, cluster.Env(), nullptr);
  if (!session) return {1, "", session.error().message};
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  cli::MaintainOptions options;
  options.node = node;
  options.enter = enter;
  options.exit = !enter;
  options.no_lock = true;
  options.crm = QueueInPvesim(cluster);
  options.maintenance.policy = policy;
  options.maintenance.timeout = std::chrono::seconds(20);
  options.maintenance.poll = std::chrono::milliseconds(100);
  run.exit_code = cli::RunMaintain(**session, options, console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(MaintainE2e, EnteringMovesHaGuestsAwayMigratesTheOthersAndSetsNoout) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  HaGuest(c, 100, "pve-02");
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu", {{"vmid", "101"}}).data()), "OK");
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu/101/status/start").data()), "OK");

  StatusRun enter = Maintain(*cluster, "pve-02", true, maintenance::GuestPolicy::kMigrate);
  ASSERT_EQ(enter.exit_code, 0) << enter.out << enter.err;
  EXPECT_NE(enter.out.find("enabling HA node maintenance on pve-02"), std::string::npos) << enter.out;
  EXPECT_NE(enter.out.find("done: every HA guest moved off pve-02"), std::string::npos) << enter.out;
  EXPECT_NE(enter.out.find("migrating qemu/101 from pve-02 to"), std::string::npos) << enter.out;
  EXPECT_NE(enter.out.find("setting Ceph's noout flag"), std::string::npos) << enter.out;
  EXPECT_NE(OpsGuest(c, 100)["node"], "pve-02");
  EXPECT_EQ(OpsGuest(c, 100)["status"], "running");
  EXPECT_NE(OpsGuest(c, 101)["node"], "pve-02");
  EXPECT_EQ(OpsGuest(c, 101)["status"], "running") << "a live migration keeps the guest running";
  StatusRun status = OpsStatus(*cluster);
  EXPECT_NE(status.out.find("pve-02 is in HA maintenance mode"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("flags noout"), std::string::npos) << status.out;

  StatusRun exit = Maintain(*cluster, "pve-02", false, maintenance::GuestPolicy::kMigrate);
  ASSERT_EQ(exit.exit_code, 0) << exit.out << exit.err;
  EXPECT_NE(exit.out.find("clearing Ceph's noout flag"), std::string::npos) << exit.out;
  EXPECT_TRUE(InTenSeconds([&] { return OpsGuest(c, 100)["node"] == "pve-02"; })) << "HA brings vm:100 back";
  EXPECT_EQ(OpsStatus(*cluster).exit_code, 0) << OpsStatus(*cluster).out;
}

TEST(MaintainE2e, ShutdownPolicyStopsTheGuestsHaDoesNotManage) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-03/qemu", {{"vmid", "102"}}).data()), "OK");
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-03/qemu/102/status/start").data()), "OK");
  StatusRun enter = Maintain(*cluster, "pve-03", true, maintenance::GuestPolicy::kShutdown);
  ASSERT_EQ(enter.exit_code, 0) << enter.out << enter.err;
  EXPECT_NE(enter.out.find("shutting down qemu/102 on pve-03"), std::string::npos) << enter.out;
  EXPECT_EQ(OpsGuest(c, 102)["status"], "stopped");
  EXPECT_EQ(OpsGuest(c, 102)["node"], "pve-03");
}

TEST(MaintainE2e, ANodeOutsideTheQuorateClusterIsRefused) {
  E2E_START_OR_SKIP(cluster, CephAndFastHa());
  PvesimClient c = cluster->Client();
  ASSERT_EQ(c.Control("POST", "/nodes/pve-03/offline").status, 200);
  StatusRun enter = Maintain(*cluster, "pve-03", true, maintenance::GuestPolicy::kMigrate);
  EXPECT_EQ(enter.exit_code, 1);
  EXPECT_NE(enter.err.find("maintenance of pve-03: node 'pve-03' is not online in the quorate partition"),
            std::string::npos)
      << enter.err;
}

StatusRun Reboot(E2eCluster& cluster, std::chrono::milliseconds up_timeout) {
  StatusRun run;
  auto spec = cluster.Load(kOperationsSpec);
  if (!spec) return {1, "", spec.error().message};
  auto session = cli::ClusterSession::Open(*spec, cluster.Env(), nullptr);
  if (!session) return {1, "", session.error().message};
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  cli::RebootOptions options;
  options.no_lock = true;
  options.crm_for = [&cluster](const std::string&) { return QueueInPvesim(cluster); };
  options.roll.maintenance.timeout = std::chrono::seconds(20);
  options.roll.maintenance.poll = std::chrono::milliseconds(100);
  options.roll.down_timeout = std::chrono::seconds(10);
  options.roll.up_timeout = up_timeout;
  run.exit_code = cli::RunReboot(**session, options, console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// A kernel newer than the running one on pve-02..pve-04 (pve-01 serves the API and is not rebooted here).
void InstallKernelOnThreeNodes(PvesimClient& c) {
  for (const char* node : {"pve-02", "pve-03", "pve-04"}) {
    ASSERT_EQ(c.Control("PUT", std::string("/nodes/") + node + "/packages/proxmox-kernel-6.17.9-1-pve-signed",
                        {{"version", "6.17.9-1"}}).status, 200);
  }
}

PvesimOptions FourNodes(std::chrono::milliseconds task_duration) {
  PvesimOptions o = CephAndFastHa();
  o.args.insert(o.args.end(), {"--nodes", "4"});
  o.task_duration = task_duration;
  return o;
}

TEST(RollingRebootE2e, AKernelUpdateRollsOverThreeNodesWithoutStoppingAnHaGuestOrLosingQuorum) {
  E2E_START_OR_SKIP(cluster, FourNodes(std::chrono::milliseconds(50)));
  PvesimClient c = cluster->Client();
  HaGuest(c, 102, "pve-02");
  HaGuest(c, 103, "pve-03");
  HaGuest(c, 104, "pve-04");
  InstallKernelOnThreeNodes(c);

  // Sampled every 200 ms for the whole roll: every HA guest runs, the cluster is quorate, at most one node is down.
  std::atomic<bool> rolling{true};
  std::vector<std::string> violations;
  std::thread sampler([&] {
    PvesimClient s = cluster->Client();
    while (rolling) {
      for (const auto& g : s.Get("/cluster/resources", {{"type", "vm"}}).data())
        if (g["status"] != "running") violations.push_back("vm " + g["vmid"].dump() + " " + g["status"].dump());
      int down = 0;
      for (const auto& e : s.Get("/cluster/status").data()) {
        if (e["type"] == "cluster" && e["quorate"] != 1) violations.push_back("quorum lost");
        if (e["type"] == "node" && e["online"] != 1) ++down;
      }
      if (down > 1) violations.push_back(std::to_string(down) + " nodes down at once");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  StatusRun run = Reboot(*cluster, std::chrono::seconds(20));
  rolling = false;
  sampler.join();

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(violations.empty()) << violations.front() << " (" << violations.size() << " samples)\n" << run.out;
  const auto first = run.out.find("[1/3] pve-02: rebooting");
  const auto second = run.out.find("[2/3] pve-03: quorum gate");
  const auto third = run.out.find("[3/3] pve-04: rebooting");
  EXPECT_NE(run.out.find("rolling reboot of 3 node(s), one at a time: pve-02, pve-03, pve-04"), std::string::npos) << run.out;
  ASSERT_NE(first, std::string::npos) << run.out;
  ASSERT_NE(third, std::string::npos) << run.out;
  EXPECT_LT(first, run.out.find("[1/3] pve-02: done"));
  EXPECT_LT(run.out.find("[1/3] pve-02: done"), second) << "pve-03 starts only once pve-02 is back";
  EXPECT_NE(run.out.find("done: pve-03 back: online, quorate, its LRM alive, Ceph's OSDs up ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("done: every HA guest moved off pve-04"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("rolling reboot finished: 3 node(s)"), std::string::npos);
  // Every node now runs its newest kernel; nothing is left in maintenance.
  StatusRun after = OpsStatus(*cluster);
  EXPECT_EQ(after.out.find("reboot pending"), std::string::npos) << after.out;
  EXPECT_EQ(after.out.find("maintenance mode"), std::string::npos) << after.out;
}

TEST(RollingRebootE2e, ANodeThatDoesNotComeBackStopsTheRollWithAReport) {
  // Tasks of 1 s: a rebooted node is back after 4 s, later than the roll waits for it.
  E2E_START_OR_SKIP(cluster, FourNodes(std::chrono::milliseconds(1000)));
  PvesimClient c = cluster->Client();
  InstallKernelOnThreeNodes(c);
  StatusRun run = Reboot(*cluster, std::chrono::seconds(1));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.err.find("rolling reboot stopped at pve-02 (1 of 3): pve-02 back: online, quorate, its LRM alive, "
                         "Ceph's OSDs up: pve-02 is still offline after 1 s; pve-02 stays in maintenance (its guests "
                         "run elsewhere); not rebooted: pve-03, pve-04"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find("[2/3]"), std::string::npos) << "the roll stopped at the first node";
}


// `baselines[].reboot` (the node_reboot kind): the same roll, planned and applied by `hainfra apply`.
std::string RebootBaselineSpec(const std::string& reboot) {
  return std::string(kOperationsSpec) + "baselines:\n  - { name: patched, reboot: " + reboot + " }\n" +
         "nodes:\n  - { name: pve-01, address: 10.10.0.11 }\n" +
         "  - { name: pve-02, address: 10.10.0.12, baseline: patched }\n" +
         "  - { name: pve-03, address: 10.10.0.13, baseline: patched }\n" +
         "  - { name: pve-04, address: 10.10.0.14, baseline: patched }\n";
}

// Applies through a session whose HA manager commands are queued in pvesim (it has no SSH).
CommandRun ApplyWithPvesimCrm(E2eCluster& cluster, const Spec& spec) {
  CommandRun run;
  auto session = cli::ClusterSession::Open(spec, cluster.Env(), nullptr);
  if (!session) return {1, "", session.error().message, ""};
  (*session)->deps().crm_for = [&cluster](const std::string&) { return QueueInPvesim(cluster); };
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  run.exit_code = cli::RunApply(spec, (*session)->kinds(), E2eCluster::DefaultApply(), console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string RebootNote(const hainfra::Plan& plan, const std::string& address) {
  for (const Step& step : plan.steps)
    if (step.change.address.ToString() == address) return step.change.reason;
  return "";
}

TEST(BaselineRebootE2e, AKernelBumpInABaselineRebootsItsNodesOneAtATimeAndTheNextPlanIsEmpty) {
  E2E_START_OR_SKIP(cluster, FourNodes(std::chrono::milliseconds(50)));
  PvesimClient c = cluster->Client();
  HaGuest(c, 102, "pve-02");
  InstallKernelOnThreeNodes(c);
  auto spec = cluster->Load(RebootBaselineSpec("{ when: kernel }"));
  ASSERT_TRUE(spec) << spec.error().message;

  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(StepLines(*plan), (std::vector<std::string>{"update node_reboot/pve-02", "update node_reboot/pve-03",
                                                        "update node_reboot/pve-04"}));
  EXPECT_NE(RebootNote(*plan, "node_reboot/pve-03").find("kernel 6.17.2-1-pve running, 6.17.9-1-pve installed"),
            std::string::npos) << RebootNote(*plan, "node_reboot/pve-03");

  CommandRun applied = ApplyWithPvesimCrm(*cluster, *spec);
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // One node at a time: each node's roll (back, out of maintenance) ends before the next one starts.
  const auto second_done = applied.out.find("node_reboot/pve-02: updated");
  const auto third_start = applied.out.find("node_reboot/pve-03: updating");
  const auto third_done = applied.out.find("node_reboot/pve-03: updated");
  const auto fourth_start = applied.out.find("node_reboot/pve-04: updating");
  ASSERT_NE(second_done, std::string::npos) << applied.out;
  ASSERT_NE(fourth_start, std::string::npos) << applied.out;
  EXPECT_LT(second_done, applied.out.find("health gate after pve-02: healthy"));
  EXPECT_LT(applied.out.find("health gate after pve-02: healthy"), third_start);
  EXPECT_LT(third_done, fourth_start);

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(StepLines(*again).empty()) << StepLines(*again).front();
  EXPECT_EQ(OpsStatus(*cluster).out.find("reboot pending"), std::string::npos);
}

// What the plan holds back for ADDRESS (a withheld reboot), "" when nothing.
std::string HeldNote(const hainfra::Plan& plan, const std::string& address) {
  for (const Change& c : plan.unchanged)
    if (c.address.ToString() == address) return c.held;
  return "";
}

// `hainfra plan --detailed-exitcode` (0: nothing to change, 2: changes) and `hainfra drift`'s exit code.
std::pair<CommandRun, CommandRun> PlanAndDrift(E2eCluster& cluster, const Spec& spec) {
  auto session = cli::ClusterSession::Open(spec, cluster.Env(), nullptr);
  if (!session) return {{1, "", session.error().message, ""}, {1, "", session.error().message, ""}};
  std::istringstream in;
  std::ostringstream out, err, drift_out, drift_err;
  cli::Console console{in, out, err, false, false, false};
  cli::PlanCommandOptions plan_options;
  plan_options.detailed_exitcode = true;
  CommandRun planned{cli::RunPlan(spec, (*session)->kinds(), plan_options, console), "", "", ""};
  planned.out = out.str();
  planned.err = err.str();
  cli::Console drift_console{in, drift_out, drift_err, false, false, false};
  CommandRun drifted{cli::RunDrift(spec, (*session)->kinds(), {}, drift_console), "", "", ""};
  drifted.out = drift_out.str();
  drifted.err = drift_err.str();
  return {planned, drifted};
}

TEST(BaselineRebootE2e, OutsideTheWindowTheRebootIsHeldBackNotAChangeAndNotDrift) {
  E2E_START_OR_SKIP(cluster, FourNodes(std::chrono::milliseconds(50)));
  PvesimClient c = cluster->Client();
  InstallKernelOnThreeNodes(c);
  auto spec = cluster->Load(RebootBaselineSpec("{ when: kernel, window: \"2020-01-01 02:00..03:00\" }"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(StepLines(*plan).empty()) << "a withheld reboot is no change of this run: " << StepLines(*plan).front();
  EXPECT_NE(HeldNote(*plan, "node_reboot/pve-02").find("reboot pending: kernel 6.17.2-1-pve running, 6.17.9-1-pve "
                                                      "installed; withheld: outside the reboot window "
                                                      "`2020-01-01 02:00..03:00` (UTC)"),
            std::string::npos) << HeldNote(*plan, "node_reboot/pve-02");

  auto [planned, drifted] = PlanAndDrift(*cluster, *spec);
  EXPECT_EQ(planned.exit_code, 0) << "plan --detailed-exitcode: nothing to change\n" << planned.out << planned.err;
  EXPECT_NE(planned.out.find("Held back (pending; not changes of this run):"), std::string::npos) << planned.out;
  EXPECT_NE(planned.out.find("node_reboot/pve-03 (reboot pending: kernel 6.17.2-1-pve running"), std::string::npos)
      << planned.out;
  EXPECT_EQ(drifted.exit_code, 0) << "a withheld reboot is not drift\n" << drifted.out << drifted.err;

  CommandRun applied = ApplyWithPvesimCrm(*cluster, *spec);
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(applied.out.find("rebooting"), std::string::npos) << applied.out;
  EXPECT_NE(OpsStatus(*cluster).out.find("reboot pending"), std::string::npos) << "nothing rebooted";
}

TEST(BaselineRebootE2e, WhenNeverReportsThePendingRebootOnly) {
  E2E_START_OR_SKIP(cluster, FourNodes(std::chrono::milliseconds(50)));
  PvesimClient c = cluster->Client();
  InstallKernelOnThreeNodes(c);
  auto spec = cluster->Load(RebootBaselineSpec("{ when: never }"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(StepLines(*plan).empty()) << StepLines(*plan).front();
  EXPECT_NE(HeldNote(*plan, "node_reboot/pve-04").find("withheld: `when: never`"), std::string::npos)
      << HeldNote(*plan, "node_reboot/pve-04");
}

}  // namespace
}  // namespace hainfra::testing
