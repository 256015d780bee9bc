// node/<name> on real corosync: pvelab with a spare node (installed, not in corosync.conf, corosync stopped)
// joined to pvesim --lab, which performs the join as pve-cluster does on the lab. hainfra apply of a spec
// declaring the spare joins it: afterwards every node's real corosync sees four members and the cluster was
// quorate throughout; the next plan is empty.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "cfsd/process.h"  // pvelab::Run
#include "providers/pve/corosync_cfgtool.h"
#include "providers/transport/api_client.h"
#include "tests/testing/lab_commands.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

class LabNodeJoin : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    o.sim_args = {"--node-ports"};  // the spare node's own API, which the join goes through
    o.extra_args = {"--spare-nodes", "1"};
    return o;
  }

  std::string Spare() const { return lab_->Env().at("PVELAB_SPARES"); }
  std::vector<std::string> AllNodes() const {
    std::vector<std::string> all = lab_->Nodes();
    all.push_back(Spare());
    return all;
  }

  static std::string ReadText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static std::string Prefix(const std::string& address) { return address.substr(0, address.rfind('.')); }

  // The lab's cluster with its two links; `nodes` declared with their management and link addresses.
  std::string SpecText(const std::vector<std::string>& nodes) const {
    std::string text = "cluster:\n  name: hainfra-lab\n  api:\n    endpoint: https://10.0.0.11:8006\n"
                       "    token: hainfra@pve!ci\n    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\n"
                       "  corosync:\n    links:\n      - { id: 0, network: " + Prefix(lab_->Link0("pve-01")) +
                       ".0/24 }\n      - { id: 1, network: " + Prefix(lab_->Link1("pve-01")) + ".0/24 }\nnodes:\n";
    for (const std::string& node : nodes) {
      text += "  - name: " + node + "\n    address: " + lab_->Address(node) + "\n    corosync: { link0: " +
              lab_->Link0(node) + ", link1: " + lab_->Link1(node) + " }\n";
    }
    return text;
  }

  // An API client of pvesim at ENDPOINT (empty: the cluster's endpoint), token auth.
  std::unique_ptr<transport::ApiClient> Api(const std::string& endpoint = "") const {
    auto client = LabApiClient(*lab_, endpoint);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }
  std::string SpareEndpoint() const {
    const std::string list = lab_->Env().at("PVESIM_NODE_ENDPOINTS");
    const size_t at = list.find(Spare() + "=");
    if (at == std::string::npos) return "";
    const size_t start = at + Spare().size() + 1;
    return list.substr(start, list.find(',', start) - start);
  }
  static std::vector<std::string> Names(const Value& list) {
    std::vector<std::string> names;
    for (const Value& n : list) names.push_back(n.value("name", n.value("node", "")));
    return names;
  }

  static Result<Spec> Load(const std::string& text) { return LoadSpecForTest(text, "spec.yaml"); }

  CommandRun Apply(const Spec& spec) const { return LabApply(*lab_, spec); }
  CommandRun Drift(const Spec& spec) const { return LabDrift(*lab_, spec); }
  Result<Plan> MakePlan(const Spec& spec) const { return LabPlan(*lab_, spec); }

  // What NODE's real corosync says: votequorum's figures and each link's view of the nodes.
  std::string Quorumtool(const std::string& node) const { return lab_->Exec(node, "corosync-quorumtool -s").output; }
  Result<pve::CfgtoolStatus> Cfgtool(const std::string& node) const {
    return pve::ParseCfgtoolStatus(lab_->Exec(node, "corosync-cfgtool -s").output);
  }
};

TEST(LabSpareNodes, UpRefusesSpareNodesItCannotMake) {
  const std::string why = PvelabFixture::WhyUnavailable();
  if (!why.empty()) GTEST_SKIP() << why;
  const std::string pvelab = PvelabFixture::PvelabPath();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--spare-nodes", "7"}, "at most 9 nodes, spare nodes included"},
      {{"--names", "a,b", "--spare-nodes", "b"}, "node name 'b' given twice"},
      {{"--spare-nodes", "Bad_Name"}, "node name 'Bad_Name' is not a valid host name"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> argv{pvelab, "up"};
    argv.insert(argv.end(), args.begin(), args.end());
    pvelab::RunResult r = pvelab::Run(argv, 60000);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("pvelab: error: up: " + message), std::string::npos) << r.output;
  }
}

TEST_F(LabNodeJoin, TheSpareNodeIsInstalledButNotInTheCluster) {
  EXPECT_EQ(Spare(), "pve-04");
  EXPECT_EQ(lab_->Exec("pve-01", "grep -c 'name: pve-04' /etc/pve/corosync.conf").output, "0\n");
  EXPECT_NE(lab_->Exec(Spare(), "corosync-quorumtool -s").exit_code, 0) << "its corosync does not run";
  EXPECT_NE(lab_->Exec(Spare(), "test -e /etc/corosync/corosync.conf").exit_code, 0);
  EXPECT_EQ(lab_->Ssh(Spare(), "dpkg-query -W -f '${Status}' openssh-server").exit_code, 0) << "sshd and dpkg";
  EXPECT_NE(Quorumtool("pve-01").find("Total votes:      3"), std::string::npos) << Quorumtool("pve-01");

  // pvesim --lab: the cluster does not list it; its own API answers as a standalone node's.
  auto cluster = Api();
  ASSERT_NE(cluster, nullptr);
  auto members = cluster->Get("/cluster/config/nodes");
  ASSERT_TRUE(members.has_value()) << members.error().message;
  EXPECT_EQ(Names(*members), (std::vector<std::string>{"pve-01", "pve-02", "pve-03"}));
  ASSERT_FALSE(SpareEndpoint().empty()) << lab_->Env().at("PVESIM_NODE_ENDPOINTS");
  auto own = Api(SpareEndpoint());
  ASSERT_NE(own, nullptr);
  auto status = own->Get("/cluster/status");
  ASSERT_TRUE(status.has_value()) << status.error().message;
  ASSERT_EQ(status->size(), 1u) << "no cluster entry: " << status->dump();
  EXPECT_EQ((*status)[0].value("type", ""), "node") << status->dump();
  EXPECT_EQ((*status)[0].value("name", ""), Spare()) << status->dump();
  EXPECT_FALSE(own->Get("/cluster/config/join").has_value()) << "not in a cluster: no join information";
}

TEST_F(LabNodeJoin, ApplyJoinsTheDeclaredSpareNodeAndEveryCorosyncSeesFourMembersWithQuorumKept) {
  setenv("HAINFRA_NODE_ENDPOINTS", lab_->Env().at("PVESIM_NODE_ENDPOINTS").c_str(), 1);
  auto spec = Load(SpecText(AllNodes()));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << "only the join; its links are the join's, not a corosync change";
  EXPECT_EQ(plan->steps[0].change.address.ToString(), "node/pve-04");
  EXPECT_EQ(plan->steps[0].change.action, Action::kCreate);

  QuorumWatch watch(*lab_, lab_->Nodes());
  CommandRun ran = Apply(*spec);
  watch.Stop();
  unsetenv("HAINFRA_NODE_ENDPOINTS");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err << ReadText(lab_->Dir() + "/finish-join-pve-04.log");
  EXPECT_EQ(watch.Lost(), "") << "quorum lost during the join (" << watch.Samples() << " samples)";
  EXPECT_GT(watch.Samples(), 3);

  for (const std::string& node : AllNodes()) {
    // The members reload corosync.conf through pvelab-cfsd: give them a moment to see the fourth node.
    EXPECT_TRUE(PvelabFixture::WaitFor(
        [&] { return Quorumtool(node).find("Total votes:      4") != std::string::npos; }, std::chrono::seconds(20)))
        << node << ":\n" << Quorumtool(node);
    const std::string q = Quorumtool(node);
    EXPECT_NE(q.find("Nodes:            4"), std::string::npos) << node << ":\n" << q;
    EXPECT_NE(q.find("Quorate:          Yes"), std::string::npos) << node << ":\n" << q;
    EXPECT_NE(q.find("Expected votes:   4"), std::string::npos) << node << ":\n" << q;
    for (const std::string& member : AllNodes()) EXPECT_NE(q.find(" " + member), std::string::npos) << node << ":\n" << q;
    auto links = Cfgtool(node);
    ASSERT_TRUE(links.has_value()) << node << ": " << links.error().message;
    EXPECT_TRUE(PvelabFixture::WaitFor(
        [&] {
          auto now = Cfgtool(node);
          return now && now->Connected(0, {1, 2, 3, 4}) && now->Connected(1, {1, 2, 3, 4});
        },
        std::chrono::seconds(20)))
        << node << ":\n" << lab_->Exec(node, "corosync-cfgtool -s").output;
  }
  const std::string conf = lab_->Exec(Spare(), "cat /etc/corosync/corosync.conf").output;
  EXPECT_NE(conf.find("ring0_addr: " + lab_->Link0(Spare())), std::string::npos) << conf;
  EXPECT_NE(conf.find("config_version: 2"), std::string::npos) << conf;
  EXPECT_EQ(lab_->Exec(Spare(), "cat /etc/pve/corosync.conf").output, conf) << "its /etc/pve is the cluster's";

  auto again = MakePlan(*spec);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.size() << " steps after the join";
}

}  // namespace
}  // namespace hainfra::testing
