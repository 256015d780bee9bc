// pvesim's QDevice: a quorum.device in corosync.conf adds its vote to the simulated votequorum (so two of four
// nodes stay quorate) and GET /cluster/config/qdevice shows the daemon's status; on the lab the status is
// read from the real corosync-qdevice's socket as pve-cluster's ClusterConfig.pm reads it.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/memory_cluster_fs.h"
#include "sim/pvesim/qdevice_status.h"
#include "sim/pvesim/sim_node_facts.h"

namespace pvesim {
namespace {

using json = nlohmann::json;

std::string FourNodesWithQdevice(const std::string& algorithm) {
  json c = NewCorosyncConf("lab", "pve-01", 1, 1, {{0, "10.10.0.11"}});
  for (int i = 2; i <= 4; ++i) {
    const std::string name = "pve-0" + std::to_string(i);
    c["nodelist"]["node"][name] = {{"name", name}, {"nodeid", std::to_string(i)}, {"quorum_votes", "1"},
                                   {"ring0_addr", "10.10.0.1" + std::to_string(i)}};
  }
  c["quorum"]["device"] = {{"model", "net"}, {"net", {{"host", "10.10.0.5"}, {"algorithm", algorithm}, {"tls", "on"}}}};
  if (algorithm == "ffsplit") c["quorum"]["device"]["votes"] = "1";
  BumpConfigVersion(c);
  return WriteCorosyncConf(c);
}

TEST(SimQdevice, TwoOfFourNodesStayQuorateWithTheQdeviceVote) {
  MemoryClusterFs cfs("");
  SimNodeFacts facts(cfs, "pve-01", 9);
  for (int i = 1; i <= 4; ++i) facts.AddNode("pve-0" + std::to_string(i), "10.10.0.1" + std::to_string(i));
  cfs.Seed("corosync.conf", FourNodesWithQdevice("ffsplit"));
  ASSERT_TRUE(facts.SetOnline("pve-03", false).has_value());
  ASSERT_TRUE(facts.SetOnline("pve-04", false).has_value());
  ClusterView v = facts.Cluster();
  EXPECT_EQ(v.expected_votes, 5);
  EXPECT_EQ(v.total_votes, 3);
  EXPECT_EQ(v.quorum, 3);
  EXPECT_TRUE(v.quorate);
  EXPECT_EQ(v.qdevice.value("QNetd host", ""), "10.10.0.5:5403");
  EXPECT_EQ(v.qdevice.value("Algorithm", ""), "Fifty-Fifty split");
  EXPECT_EQ(v.qdevice.value("State", ""), "Connected");
}

TEST(SimQdevice, AnIsolatedNodeGetsNoQdeviceVote) {
  MemoryClusterFs cfs("");
  SimNodeFacts facts(cfs, "pve-01", 9);
  for (int i = 1; i <= 4; ++i) facts.AddNode("pve-0" + std::to_string(i), "10.10.0.1" + std::to_string(i));
  cfs.Seed("corosync.conf", FourNodesWithQdevice("lms"));
  ASSERT_TRUE(facts.SetIsolated(true).has_value());
  ClusterView v = facts.Cluster();
  EXPECT_EQ(v.expected_votes, 7);  // lms: corosync's default, the nodes' votes - 1
  EXPECT_EQ(v.total_votes, 1);
  EXPECT_FALSE(v.quorate);
  EXPECT_EQ(v.qdevice.value("Algorithm", ""), "LMS");
  EXPECT_EQ(v.qdevice.value("State", ""), "Connect failed");
}

TEST(SimQdevice, WithoutADeviceTheStatusIsEmpty) {
  EXPECT_EQ(SimulatedQdeviceStatus(json::object(), true), json::object());
  EXPECT_EQ(QdeviceVotes(json::object(), 4), 0);
}

TEST(SimQdevice, TheDaemonsSocketAnswerIsReadAsClusterConfigPmReadsIt) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("pvesim-qdevice-" + std::to_string(::getpid()) + ".sock")).string();
  ::unlink(path.c_str());
  int server = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(server, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(server, 1), 0);
  std::string request;
  std::thread daemon([&] {
    int client = ::accept(server, nullptr, nullptr);
    char buffer[64] = {};
    ssize_t n = ::read(client, buffer, sizeof(buffer) - 1);
    request.assign(buffer, n > 0 ? static_cast<size_t>(n) : 0);
    const char answer[] =
        "OK\nQdevice information\n-------------------\nModel:                  Net\nNode ID:                1\n"
        "Configured node list:\n    0   Node ID = 1\nQdevice-net information\n----------------------\n"
        "Cluster name:           lab\nQNetd host:             10.10.0.5:5403\nAlgorithm:              LMS\n"
        "Tie-breaker:            Node with lowest node ID\nState:                  Connected\n";
    (void)!::write(client, answer, sizeof(answer) - 1);
    ::close(client);
  });
  json status = ReadQdeviceSocket(path);
  daemon.join();
  ::close(server);
  ::unlink(path.c_str());
  EXPECT_EQ(request, "status verbose\n");
  EXPECT_EQ(status, (json{{"Model", "Net"}, {"QNetd host", "10.10.0.5:5403"}, {"Algorithm", "LMS"},
                          {"Tie-breaker", "Node with lowest node ID"}, {"State", "Connected"}}));
  EXPECT_EQ(ReadQdeviceSocket(path), json::object()) << "no daemon, no status";
}

}  // namespace
}  // namespace pvesim
