// A kernel update rolled over a real 3-node lab (pvelab joined to pvesim): each node's reboot stops its real
// corosync and sshd and starts them again (`pvelab reboot`, run by pvesim for POST /nodes/{node}/status
// command=reboot); the running kernel is the newest one the node's dpkg holds. The roll reaches the node
// answering hainfra's API through another member's API. Sampled every 200 ms: no HA guest ever stops, the
// cluster never loses quorum, at most one node is down. A node whose daemons do not come back stops the roll.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "cli/reboot_command.h"
#include "engine/spec/loader.h"
#include "providers/kinds/node_membership.h"
#include "providers/status/cluster_report.h"
#include "providers/transport/api_path.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

constexpr const char* kLabRebootSpec = R"(
cluster:
  name: hainfra-lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

// Each wait of the roll; short by default (the lab's reboot takes ~1 s down plus corosync's rejoin), longer on
// a loaded machine through HAINFRA_LAB_REBOOT_WAIT_S.
std::chrono::seconds LabRebootWait() {
  const char* text = std::getenv("HAINFRA_LAB_REBOOT_WAIT_S");
  return std::chrono::seconds(text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : 30);
}

struct LabRebootRun {
  int exit_code = -1;
  std::string out, err;
};

class LabRollingReboot : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    o.sim_args = {"--ha-tick", "200", "--node-ports"};
    return o;
  }

  std::unique_ptr<cli::ClusterSession> Session() {
    spec::LoadResult loaded = spec::LoadSpecText(kLabRebootSpec, "spec.yaml");
    EXPECT_FALSE(HasErrors(loaded.diagnostics));
    spec_ = std::move(loaded.spec);
    auto session = cli::ClusterSession::Open(spec_, lab_->EnvLookup(), nullptr);
    EXPECT_TRUE(session.has_value()) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  // Every member's own API endpoint: pvesim's main port answers as pve-01, --node-ports the others.
  std::map<std::string, std::string> NodeEndpoints() const {
    std::map<std::string, std::string> out;
    if (auto it = lab_->Env().find("PVESIM_NODE_ENDPOINTS"); it != lab_->Env().end()) {
      out = providers::ParseNodeEndpoints(it->second);
    }
    if (auto it = lab_->Env().find("HAINFRA_API_ENDPOINT"); it != lab_->Env().end()) out["pve-01"] = it->second;
    return out;
  }

  LabRebootRun Reboot(std::vector<std::string> nodes, std::chrono::milliseconds up_timeout) {
    auto session = Session();
    if (!session) return {};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::RebootOptions options;
    options.nodes = std::move(nodes);
    options.node_endpoints = NodeEndpoints();
    options.roll.maintenance.timeout = LabRebootWait();
    options.roll.maintenance.poll = std::chrono::milliseconds(200);
    options.roll.down_timeout = LabRebootWait();
    options.roll.up_timeout = up_timeout;
    int code = cli::RunReboot(*session, std::move(options), console);
    return {code, out.str(), err.str()};
  }

  // The kernel NODE runs and the newest it has installed, as apt/versions reports them.
  std::pair<std::string, std::string> Kernels(transport::ApiClient& api, const std::string& node) {
    Result<Value> versions = api.Get(transport::ApiPath({"nodes", node, "apt", "versions"}));
    if (!versions) return {"", ""};
    Result<status::NodePackageView> view = status::ReadAptVersions(*versions);
    if (!view) return {"", ""};
    return {view->running_kernel, view->newest_kernel};
  }

  void InstallKernel(const std::string& node, const std::string& package) {
    LabCommand installed = lab_->Exec(node, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q " + package +
                                                " >/dev/null");
    ASSERT_EQ(installed.exit_code, 0) << installed.output;
  }

  Spec spec_;
};

TEST_F(LabRollingReboot, AKernelUpdateRollsOverAllThreeNodesAndANodeThatDoesNotComeBackStopsTheRoll) {
  auto session = Session();
  ASSERT_TRUE(session);
  transport::ApiClient& api = *session->deps().api;
  // One HA guest per node.
  for (int i = 1; i <= 3; ++i) {
    const int vmid = 100 + i;
    Result<Value> created = api.Post("/nodes/pve-0" + std::to_string(i) + "/qemu", {{"vmid", vmid}});
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(api.WaitTask(created->get<std::string>(), std::chrono::seconds(30)));
    ASSERT_TRUE(api.Post("/cluster/ha/resources", {{"sid", "vm:" + std::to_string(vmid)}}));
  }
  auto running = [&](int vmid) {
    Result<Value> guests = api.Get("/cluster/resources", {{"type", "vm"}});
    if (!guests) return false;
    for (const Value& g : *guests)
      if (g.value("vmid", 0) == vmid) return g.value("status", "") == "running";
    return false;
  };
  ASSERT_TRUE(PvelabFixture::WaitFor([&] { return running(101) && running(102) && running(103); },
                                     std::chrono::seconds(20)));

  // The kernel update: a stand-in kernel image installed with the node's real apt; each node has a reboot pending.
  for (const std::string& node : lab_->Nodes()) InstallKernel(node, "proxmox-kernel-6.17.9-1-pve-signed");
  for (const std::string& node : lab_->Nodes()) {
    auto [running_kernel, newest] = Kernels(api, node);
    EXPECT_EQ(newest, "6.17.9-1-pve") << node;
    EXPECT_NE(running_kernel, newest) << node << ": a reboot is pending";
  }

  // Sampled every 200 ms for the whole roll, from the lab's own view of each node's corosync and from the API.
  std::atomic<bool> rolling{true};
  std::vector<std::string> violations;
  size_t samples = 0;
  auto sampler_session = Session();
  ASSERT_TRUE(sampler_session);
  std::thread sampler([&] {
    transport::ApiClient& sampler_api = *sampler_session->deps().api;
    while (rolling) {
      ++samples;
      int quorate = 0, down = 0, unread = 0;
      for (const std::string& node : lab_->Nodes()) {
        nlohmann::json status = lab_->NodeStatus(node);
        if (!status.contains("quorate")) ++unread;  // between two writes of pvelab-cfsd: no verdict
        quorate += status.value("quorate", false) ? 1 : 0;
        down += status.value("corosync", false) ? 0 : 1;
      }
      if (unread == 0 && quorate < 2) violations.push_back("quorum lost: " + std::to_string(quorate) + " node(s) quorate");
      if (unread == 0 && down > 1) violations.push_back(std::to_string(down) + " nodes down at once");
      if (Result<Value> guests = sampler_api.Get("/cluster/resources", {{"type", "vm"}}); guests) {
        for (const Value& g : *guests) {
          if (g.value("status", "") != "running") {
            violations.push_back("vm " + std::to_string(g.value("vmid", 0)) + " " + g.value("status", "") + " on " +
                                 g.value("node", ""));
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  LabRebootRun roll = Reboot({}, LabRebootWait());
  rolling = false;
  sampler.join();

  ASSERT_EQ(roll.exit_code, 0) << roll.out << roll.err;
  EXPECT_TRUE(violations.empty()) << violations.size() << " of " << samples << " samples, first: "
                                  << (violations.empty() ? "" : violations.front()) << "\n" << roll.out;
  EXPECT_GT(samples, 5u);
  // The order, one node at a time, and every wait.
  EXPECT_NE(roll.out.find("rolling reboot of 3 node(s), one at a time: pve-01, pve-02, pve-03"), std::string::npos)
      << roll.out;
  EXPECT_NE(roll.out.find("[1/3] pve-01: pve-01 answers hainfra's API: talking to pve-02's API for its turn"),
            std::string::npos) << roll.out;
  size_t at = 0;
  for (const char* line : {"[1/3] pve-01: quorum gate", "[1/3] pve-01: entering maintenance",
                           "done: every HA guest moved off pve-01", "[1/3] pve-01: rebooting", "done: pve-01 down (",
                           "done: pve-01 back: online, quorate, its LRM alive, Ceph's OSDs up (",
                           "[1/3] pve-01: leaving maintenance", "[1/3] pve-01: done", "[2/3] pve-02: quorum gate",
                           "done: pve-02 down (", "done: pve-02 back:", "[2/3] pve-02: done", "[3/3] pve-03: rebooting",
                           "done: pve-03 back:", "[3/3] pve-03: done", "rolling reboot finished: 3 node(s)"}) {
    const size_t found = roll.out.find(line, at);
    ASSERT_NE(found, std::string::npos) << "missing, or out of order: " << line << "\n" << roll.out;
    at = found;
  }
  // Every node runs its newest kernel; the guests run; nothing is left in maintenance.
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(Kernels(api, node), std::make_pair(std::string("6.17.9-1-pve"), std::string("6.17.9-1-pve"))) << node;
    EXPECT_NE(maintenance::LrmState(api, node).value_or(""), "maintenance") << node;
  }
  EXPECT_TRUE(running(101) && running(102) && running(103));

  // A node that does not come back stops the roll: a newer kernel on pve-02, whose next boot fails (its
  // corosync and sshd stay down). The roll reboots pve-02 first, waits for it in vain and stops with a report;
  // pve-03 is not touched.
  InstallKernel("pve-02", "proxmox-kernel-6.17.13-1-pve-signed");
  InstallKernel("pve-03", "proxmox-kernel-6.17.13-1-pve-signed");
  ASSERT_TRUE(lab_->Fault({"boot-fail", "pve-02"}).has_value());
  LabRebootRun stopped = Reboot({"pve-02", "pve-03"}, std::chrono::seconds(5));
  EXPECT_EQ(stopped.exit_code, 1) << stopped.out << stopped.err;
  EXPECT_NE(stopped.err.find("rolling reboot stopped at pve-02 (1 of 2): pve-02 back: online, quorate, its LRM alive, "
                             "Ceph's OSDs up: pve-02 is still offline after 5 s; pve-02 stays in maintenance (its "
                             "guests run elsewhere); not rebooted: pve-03"),
            std::string::npos)
      << stopped.out << stopped.err;
  EXPECT_EQ(stopped.out.find("[2/2]"), std::string::npos) << "the roll stopped at the first node\n" << stopped.out;
  EXPECT_EQ(Kernels(api, "pve-03").first, "6.17.9-1-pve") << "pve-03 was not rebooted";
  EXPECT_EQ(lab_->NodeStatus("pve-02").value("corosync", true), false) << "pve-02's corosync stayed down";
  EXPECT_TRUE(running(101) && running(102) && running(103)) << "HA runs pve-02's guest elsewhere";
}

}  // namespace
}  // namespace hainfra::testing
