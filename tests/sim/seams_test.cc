// The two seams pvelab plugs into — ClusterFs and NodeFacts — in their simulator implementations, and the
// factory that chooses them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/pvesim/backends.h"
#include "sim/pvesim/config_cache.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/memory_cluster_fs.h"
#include "sim/pvesim/sim_node_facts.h"
#include "tests/sim/cluster_fs_contract.h"

namespace pvesim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string TempDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/pvesim-" + name + "-" + std::to_string(::getpid());
  fs::remove_all(dir);
  return dir;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(MemoryClusterFs, ContractInMemory) {
  MemoryClusterFs cfs("");
  testing::ExpectClusterFsContract(cfs);
  EXPECT_EQ(cfs.FileCount(), 0u);
}

TEST(MemoryClusterFs, ContractWrittenThroughToADirectory) {
  std::string dir = TempDir("cfs");
  {
    MemoryClusterFs cfs(dir);
    testing::ExpectClusterFsContract(cfs);
    ASSERT_TRUE(cfs.Write("nodes/pve-01/qemu-server/100.conf", "name: kept\n").has_value());
    ASSERT_TRUE(cfs.Write("ha/resources.cfg", "vm: 100\n\n").has_value());
    // What `cat /etc/pve/...` would show.
    EXPECT_EQ(Slurp(fs::path(dir) / "nodes/pve-01/qemu-server/100.conf"), "name: kept\n");
    EXPECT_FALSE(fs::exists(fs::path(dir) / "pvesim-contract/storage.cfg"));
  }
  MemoryClusterFs again(dir);  // a later run loads the directory
  EXPECT_EQ(again.Read("nodes/pve-01/qemu-server/100.conf"), "name: kept\n");
  EXPECT_EQ(again.Read("ha/resources.cfg"), "vm: 100\n\n");
  fs::remove_all(dir);
}

TEST(MemoryClusterFs, RefusesWritesWithoutQuorum) {
  MemoryClusterFs cfs("");
  std::atomic<bool> quorate{true};
  cfs.SetQuorumProbe([&quorate] { return quorate.load(); });
  ASSERT_TRUE(cfs.Write("storage.cfg", "a\n").has_value());
  quorate = false;
  auto w = cfs.Write("storage.cfg", "b\n");
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().message,
            "unable to open file '/etc/pve/storage.cfg.tmp." + std::to_string(::getpid()) + "' - Permission denied\n");
  EXPECT_FALSE(cfs.Remove("storage.cfg").has_value());
  EXPECT_FALSE(cfs.Rename("storage.cfg", "x.cfg").has_value());
  EXPECT_FALSE(cfs.MakeLockDir("priv/lock/x").has_value());
  EXPECT_EQ(cfs.Read("storage.cfg"), "a\n");  // reads still work
  cfs.Seed("storage.cfg", "seeded\n");           // world setup bypasses the check
  EXPECT_EQ(cfs.Read("storage.cfg"), "seeded\n");
  quorate = true;
  EXPECT_TRUE(cfs.Write("storage.cfg", "c\n").has_value());
}

// List skips each subdirectory's files in one step; names that sort around "<dir>/" must still all show.
TEST(MemoryClusterFs, ListsNeighboursOfSubdirectories) {
  MemoryClusterFs cfs("");
  for (const char* p : {"nodes/pve-01/qemu-server/100.conf", "nodes/pve-01/qemu-server/101.conf", "nodes/pve-01/lxc/200.conf",
                        "nodes/pve-01.x", "nodes/pve-01-a/lxc/1.conf", "nodes/pve-010/qemu-server/7.conf", "nodes/pve-01",
                        "nodesx/a", "nodes/pve-02/qemu-server/102.conf"})
    cfs.Seed(p, "x\n");
  EXPECT_EQ(cfs.List("nodes"),
            (std::vector<std::string>{"pve-01", "pve-01-a", "pve-01.x", "pve-010", "pve-02"}));
  EXPECT_EQ(cfs.List("nodes/pve-01"), (std::vector<std::string>{"lxc", "qemu-server"}));
  EXPECT_EQ(cfs.List(""), (std::vector<std::string>{"nodes", "nodesx"}));
}

// The parsed configs of the lists: one parse per distinct text of a path; a changed text is parsed again.
TEST(ConfigCache, ParsesOnlyChangedTexts) {
  ConfigCache cache;
  auto a = cache.Guest("nodes/pve-01/qemu-server/100.conf", "name: a\nmemory: 1024\n");
  auto again = cache.Guest("nodes/pve-01/qemu-server/100.conf", "name: a\nmemory: 1024\n");
  EXPECT_EQ(a.get(), again.get());
  EXPECT_EQ(a->main.at("name"), "a");
  EXPECT_EQ(a->digest, ParseGuestConfig("name: a\nmemory: 1024\n").digest);
  auto changed = cache.Guest("nodes/pve-01/qemu-server/100.conf", "name: b\nmemory: 1024\n");
  EXPECT_NE(changed.get(), a.get());
  EXPECT_EQ(changed->main.at("name"), "b");
  EXPECT_EQ(a->main.at("name"), "a");  // a holder of the old parse keeps it
  auto other = cache.Guest("nodes/pve-02/qemu-server/101.conf", "name: b\nmemory: 1024\n");
  EXPECT_NE(other.get(), changed.get());
  auto ct = cache.Ct("nodes/pve-01/lxc/200.conf", "hostname: c\nlxc.apparmor.profile: unconfined\n");
  EXPECT_EQ(ct->conf.main.at("hostname"), "c");
  ASSERT_EQ(ct->lxc.size(), 1u);
  EXPECT_EQ(cache.Ct("nodes/pve-01/lxc/200.conf", "hostname: c\nlxc.apparmor.profile: unconfined\n").get(), ct.get());
  EXPECT_EQ(cache.Size(), 3u);
}

std::string ThreeNodeCorosync(int votes_of_third = 1) {
  json c = NewCorosyncConf("lab", "pve-01", 1, 1, {{0, "10.10.0.11"}});
  c["nodelist"]["node"]["pve-02"] = {{"name", "pve-02"}, {"nodeid", "2"}, {"quorum_votes", "1"}, {"ring0_addr", "10.10.0.12"}};
  c["nodelist"]["node"]["pve-03"] = {{"name", "pve-03"}, {"nodeid", "3"}, {"quorum_votes", std::to_string(votes_of_third)},
                                     {"ring0_addr", "10.10.0.13"}};
  BumpConfigVersion(c);
  return WriteCorosyncConf(c);
}

TEST(SimNodeFacts, StandaloneNodeIsQuorateAlone) {
  MemoryClusterFs cfs("");
  SimNodeFacts facts(cfs, "pve-01", 9);
  facts.AddNode("pve-01", "10.10.0.11");
  ClusterView v = facts.Cluster();
  EXPECT_FALSE(v.clustered);
  EXPECT_TRUE(v.quorate);
  ASSERT_EQ(v.members.size(), 1u);
  EXPECT_EQ(v.members[0].nodeid, 0);
  EXPECT_EQ(v.members[0].ip, "10.10.0.11");
  EXPECT_TRUE(v.members[0].local);
}

TEST(SimNodeFacts, MembershipAndQuorumFromCorosyncConfAndOnlineNodes) {
  MemoryClusterFs cfs("");
  SimNodeFacts facts(cfs, "pve-01", 9);
  for (int i = 1; i <= 3; ++i) facts.AddNode("pve-0" + std::to_string(i), "10.10.0.1" + std::to_string(i));
  cfs.Seed("corosync.conf", ThreeNodeCorosync());
  ClusterView v = facts.Cluster();
  EXPECT_TRUE(v.clustered);
  EXPECT_EQ(v.name, "lab");
  EXPECT_EQ(v.expected_votes, 3);
  EXPECT_EQ(v.quorum, 2);
  EXPECT_TRUE(v.quorate);
  ASSERT_EQ(v.members.size(), 3u);
  EXPECT_EQ(v.members[2].name, "pve-03");

  ASSERT_TRUE(facts.SetOnline("pve-02", false).has_value());
  EXPECT_FALSE(facts.Online("pve-02"));
  EXPECT_TRUE(facts.Cluster().quorate);  // 2 of 3
  ASSERT_TRUE(facts.SetOnline("pve-03", false).has_value());
  EXPECT_FALSE(facts.Cluster().quorate);  // 1 of 3
  ASSERT_TRUE(facts.SetOnline("pve-03", true).has_value());
  EXPECT_TRUE(facts.Cluster().quorate);

  // Isolation: the local node loses every other node.
  ASSERT_TRUE(facts.SetIsolated(true).has_value());
  EXPECT_TRUE(facts.Isolated());
  EXPECT_FALSE(facts.Cluster().quorate);
  EXPECT_FALSE(facts.Online("pve-03"));
  EXPECT_TRUE(facts.Online("pve-01"));
  ASSERT_TRUE(facts.SetIsolated(false).has_value());

  // Votes count, not nodes: pve-03 with 3 votes alone outweighs the others.
  cfs.Seed("corosync.conf", ThreeNodeCorosync(3));
  ASSERT_TRUE(facts.SetOnline("pve-02", true).has_value());
  ASSERT_TRUE(facts.SetOnline("pve-03", false).has_value());
  v = facts.Cluster();
  EXPECT_EQ(v.expected_votes, 5);
  EXPECT_EQ(v.total_votes, 2);
  EXPECT_FALSE(v.quorate);
}

TEST(SimNodeFacts, PackagesFilesAndPersistence) {
  MemoryClusterFs cfs("");
  SimNodeFacts facts(cfs, "pve-01", 9);
  facts.AddNode("pve-01", "10.10.0.11");
  facts.AddNode("pve-02", "10.10.0.12");
  auto version_of = [&](const std::string& node, const std::string& pkg) {
    for (const auto& e : facts.PackageVersions(node))
      if (e["Package"] == pkg) return e["Version"].get<std::string>();
    return std::string();
  };
  EXPECT_EQ(version_of("pve-01", "pve-manager"), "9.1.1");
  ASSERT_TRUE(facts.SetPackageVersion("pve-02", "pve-manager", "9.1.2").has_value());
  EXPECT_EQ(version_of("pve-02", "pve-manager"), "9.1.2");
  EXPECT_EQ(version_of("pve-01", "pve-manager"), "9.1.1");  // only that node
  ASSERT_TRUE(facts.SetPackageVersion("pve-02", "hainfra-test-a", "1.0").has_value());
  EXPECT_EQ(version_of("pve-02", "hainfra-test-a"), "1.0");
  ASSERT_TRUE(facts.SetPackageVersion("pve-02", "hainfra-test-a", "").has_value());  // removed
  EXPECT_EQ(version_of("pve-02", "hainfra-test-a"), "");

  ASSERT_TRUE(facts.WriteNodeFile("pve-02", "/etc/network/interfaces.new", "auto lo\n").has_value());
  EXPECT_EQ(facts.ReadNodeFile("pve-02", "/etc/network/interfaces.new"), "auto lo\n");
  EXPECT_FALSE(facts.ReadNodeFile("pve-01", "/etc/network/interfaces.new").has_value());

  ASSERT_TRUE(facts.SetOnline("pve-02", false).has_value());
  json saved = facts.SaveState();
  SimNodeFacts restored(cfs, "pve-01", 9);
  restored.LoadState(saved);
  EXPECT_FALSE(restored.Online("pve-02"));
  EXPECT_EQ(restored.Address("pve-02"), "10.10.0.12");
  EXPECT_EQ(restored.ReadNodeFile("pve-02", "/etc/network/interfaces.new"), "auto lo\n");
  EXPECT_EQ(restored.Nodes(), (std::vector<std::string>{"pve-01", "pve-02"}));
}

TEST(Backends, SimulatorByDefaultAndLabIsAPlugPoint) {
  Options o;
  auto b = MakeBackends(o, "", "pve-01");
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_NE(b->memory_fs, nullptr);
  EXPECT_NE(b->sim_facts, nullptr);
  EXPECT_EQ(b->facts->LocalNode(), "pve-01");
  o.lab_dir = "/nonexistent";
  auto lab = MakeBackends(o, "", "pve-01");
  ASSERT_FALSE(lab.has_value());
  EXPECT_NE(lab.error().message.find("--lab"), std::string::npos);
}

}  // namespace
}  // namespace pvesim
