// pvesim as a process: versions, worlds, persistence across runs, cluster creation and joining,
// schema validation errors, plain HTTP and concurrent clients.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

TEST(PvesimCluster, VersionFollowsThePveRelease) {
  for (int pve : {8, 9}) {
    PvesimOptions o;
    o.pve = pve;
    PVESIM_START_OR_SKIP(pvesim, o);
    PvesimClient c(*pvesim);
    json v = c.Get("/version").data();
    EXPECT_EQ(v["release"], pve == 8 ? "8.4" : "9.1");
    std::string pveversion = c.Get("/nodes/pve-01/status").data()["pveversion"];
    EXPECT_EQ(pveversion.rfind(pve == 8 ? "pve-manager/8.4.1/" : "pve-manager/9.1.1/", 0), 0u) << pveversion;
    json versions = c.Get("/nodes/pve-01/apt/versions").data();
    ASSERT_FALSE(versions.empty());
    EXPECT_EQ(versions[0]["Package"], "proxmox-ve");
    EXPECT_EQ(versions[1]["Package"], "pve-manager");
    EXPECT_EQ(versions[1]["Version"], pve == 8 ? "8.4.1" : "9.1.1");
  }
}

TEST(PvesimCluster, NamedNodesAndQuorumFromVotes) {
  PvesimOptions o;
  o.args = {"--nodes", "alpha,beta,gamma,delta", "--cluster-name", "lab"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  json status = c.Get("/cluster/status").data();
  EXPECT_EQ(status[0]["name"], "lab");
  EXPECT_EQ(status[0]["nodes"], 4);
  EXPECT_EQ(status[0]["version"], 4);  // pvecm create + three pvecm add
  ASSERT_EQ(c.Control("POST", "/nodes/beta/offline").status, 200);
  EXPECT_EQ(c.Get("/cluster/status").data()[0]["quorate"], 1);  // 3 of 4 votes, quorum 3
  ASSERT_EQ(c.Control("POST", "/nodes/gamma/offline").status, 200);
  EXPECT_EQ(c.Get("/cluster/status").data()[0]["quorate"], 0);  // 2 of 4
  json totem = c.Get("/cluster/config/totem").data();
  EXPECT_EQ(totem["cluster_name"], "lab");
  EXPECT_EQ(totem["interface"]["0"]["linknumber"], "0");
  json nodes = c.Get("/cluster/config/nodes").data();
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[0]["node"], "alpha");
  EXPECT_EQ(nodes[0]["ring0_addr"], "10.10.0.11");
}

TEST(PvesimCluster, StateSurvivesARestart) {
  std::string dir = ::testing::TempDir() + "/pvesim-persist-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::string secret, fingerprint;
  {
    PvesimOptions o;
    o.state_dir = dir;
    PVESIM_START_OR_SKIP(pvesim, o);
    PvesimClient c(*pvesim);
    ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu", {{"vmid", "123"}, {"name", "kept"}}).data()), "OK");
    ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu/123/status/start").data()), "OK");
    ASSERT_EQ(c.Control("POST", "/nodes/pve-03/offline").status, 200);
    secret = pvesim->secret();
    fingerprint = pvesim->fingerprint();
    EXPECT_EQ(pvesim->Stop(), 0);  // SIGTERM: a clean exit
  }
  PvesimOptions o;
  o.state_dir = dir;
  PVESIM_START_OR_SKIP(again, o);
  EXPECT_EQ(again->secret(), secret);
  EXPECT_EQ(again->fingerprint(), fingerprint);
  PvesimClient c(*again);
  EXPECT_EQ(c.Get("/nodes/pve-02/qemu/123/config").data()["name"], "kept");
  EXPECT_EQ(c.Get("/nodes/pve-02/qemu/123/status/current").data()["status"], "running");
  EXPECT_EQ(c.Get("/nodes/pve-03/status").status, 595);
  again->Stop();
  std::filesystem::remove_all(dir);
}

TEST(PvesimCluster, StandaloneNodeCreatesACluster) {
  PvesimOptions o;
  o.args = {"--nodes", "1", "--no-cluster"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim, PvesimClient::Auth::kNone);
  ASSERT_TRUE(c.Login());  // root@pam-only calls need a ticket
  json standalone = c.Get("/cluster/status").data();
  ASSERT_EQ(standalone.size(), 1u);
  EXPECT_EQ(standalone[0]["nodeid"], 0);
  EXPECT_EQ(c.Get("/cluster/config/join").status, 424);
  std::string upid = c.Post("/cluster/config", {{"clustername", "newc"}}).data();
  EXPECT_NE(upid.find(":clustercreate:newc:root@pam:"), std::string::npos);
  EXPECT_EQ(c.WaitTask(upid), "OK");
  json status = c.Get("/cluster/status").data();
  EXPECT_EQ(status[0]["type"], "cluster");
  EXPECT_EQ(status[0]["version"], 1);
  EXPECT_EQ(c.Post("/cluster/config", {{"clustername", "again"}}).message(), "cluster config '/etc/pve/corosync.conf' already exists\n");
}

TEST(PvesimCluster, SpareNodeJoinsThroughItsOwnApi) {
  PvesimOptions o;
  o.args = {"--spare-nodes", "pve-04", "--node-ports"};
  PVESIM_START_OR_SKIP(pvesim, o);
  std::string endpoints = pvesim->Env("PVESIM_NODE_ENDPOINTS");
  auto at = endpoints.find("pve-04=");
  ASSERT_NE(at, std::string::npos) << endpoints;
  std::string spare_endpoint = endpoints.substr(at + 7, endpoints.find(',', at) == std::string::npos ? std::string::npos : endpoints.find(',', at) - at - 7);
  // The spare node's own API: a standalone node.
  PvesimClient sc(*pvesim, spare_endpoint, PvesimClient::Auth::kNone);
  ASSERT_TRUE(sc.Login());
  EXPECT_EQ(sc.Get("/cluster/status").data().size(), 1u);
  ApiResult bad = sc.Post("/cluster/config/join", {{"hostname", "10.10.0.11"}, {"password", "wrong"}, {"fingerprint", pvesim->fingerprint()}});
  EXPECT_EQ(sc.WaitTask(bad.data()), "401 authentication failure");
  std::string upid = sc.Post("/cluster/config/join", {{"hostname", "10.10.0.11"}, {"password", pvesim->password()},
                                                      {"fingerprint", pvesim->fingerprint()}}).data();
  EXPECT_EQ(sc.WaitTask(upid), "OK");
  PvesimClient c(*pvesim);
  json nodes = c.Get("/cluster/config/nodes").data();
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[3]["node"], "pve-04");
  EXPECT_EQ(nodes[3]["nodeid"], "4");
  EXPECT_EQ(nodes[3]["ring0_addr"], "10.10.0.14");
  EXPECT_EQ(c.Get("/cluster/status").data()[0]["version"], 4);
  // Joining again from a member fails the join checks.
  ApiResult again = c.Post("/cluster/config/join", {{"hostname", "10.10.0.11"}, {"password", "x"}, {"fingerprint", pvesim->fingerprint()}});
  EXPECT_EQ(again.status, 403);  // tokens are not root@pam
}

TEST(PvesimCluster, SchemaValidationNamesTheOffendingParameters) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult r = c.Post("/nodes/pve-01/qemu", {{"vmid", "99"}, {"cores", "two"}, {"memroy", "2048"},
                                             {"net0", "virtio,bridge=vmbr0,tag=5000"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.message(), "Parameter verification failed.\n");
  EXPECT_EQ(r.reason, "Parameter verification failed.");
  json e = r.errors();
  EXPECT_EQ(e["vmid"], "invalid format - value does not look like a valid VM ID\n");
  EXPECT_EQ(e["cores"], "type check ('integer') failed - got 'two'");
  EXPECT_EQ(e["memroy"], "property is not defined in schema and the schema does not allow additional properties");
  EXPECT_NE(e["net0"].get<std::string>().find("net0.tag: value must have a maximum value of 4094"), std::string::npos);
  ApiResult missing = c.Post("/cluster/ha/rules", {{"type", "node-affinity"}});
  EXPECT_EQ(missing.errors()["rule"], "property is missing and it is not optional");
  EXPECT_EQ(missing.errors()["resources"], "property is missing and it is not optional");
  EXPECT_EQ(c.Get("/nodes/pve-01/no-such-thing").status, 501);
  ApiResult conflict = c.Get("/nodes/pve-01/qemu", {{"node", "pve-02"}});
  EXPECT_EQ(conflict.errors()["node"], "duplicate parameter (already defined in URI) with conflicting values!");
  // JSON bodies are typed; booleans may be JSON true/false.
  ApiResult json_body = c.PostJson("/nodes/pve-01/qemu", {{"vmid", 100}, {"cores", 2}, {"numa", true}});
  ASSERT_EQ(json_body.status, 200) << json_body.raw;
  EXPECT_EQ(c.WaitTask(json_body.data()), "OK");
  EXPECT_EQ(c.Get("/nodes/pve-01/qemu/100/config").data()["numa"], 1);
}

TEST(PvesimCluster, PlainHttpServesTheSameApi) {
  PvesimOptions o;
  o.http = true;
  PVESIM_START_OR_SKIP(pvesim, o);
  EXPECT_EQ(pvesim->endpoint().rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_TRUE(pvesim->fingerprint().empty());
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Get("/version").status, 200);
}

TEST(PvesimCluster, ManyConcurrentClients) {
  PVESIM_START_OR_SKIP(pvesim);
  std::vector<std::future<int>> clients;
  for (int i = 0; i < 32; ++i) {
    clients.push_back(std::async(std::launch::async, [&pvesim, i] {
      PvesimClient c(*pvesim);
      int ok = 0;
      for (int j = 0; j < 10; ++j) ok += c.Get(i % 2 ? "/cluster/resources" : "/nodes").status == 200;
      return ok;
    }));
  }
  int total = 0;
  for (auto& f : clients) total += f.get();
  EXPECT_EQ(total, 320);
}

TEST(PvesimCluster, WorldFileSeedsGuestsAndFiles) {
  std::string path = ::testing::TempDir() + "/pvesim-world-" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream out(path);
    out << R"({"nodes": ["a", "b"], "cluster_name": "wf",
              "vms": [{"vmid": 101, "node": "b", "running": true,
                       "config": {"name": "web", "cores": 2, "memory": 2048, "net0": "virtio=BC:24:11:00:00:01,bridge=vmbr0"}}],
              "files": {"ha/resources.cfg": "vm: 101\n\tstate started\n\n"}})";
  }
  PvesimOptions o;
  o.args = {"--world", path};
  PVESIM_START_OR_SKIP(pvesim, o);
  std::filesystem::remove(path);
  PvesimClient c(*pvesim);
  json config = c.Get("/nodes/b/qemu/101/config").data();
  EXPECT_EQ(config["name"], "web");
  EXPECT_EQ(config["cores"], 2);
  EXPECT_EQ(config["net0"], "virtio=BC:24:11:00:00:01,bridge=vmbr0");
  EXPECT_EQ(c.Get("/nodes/b/qemu/101/status/current").data()["status"], "running");
  json ha = c.Get("/cluster/ha/resources").data();
  ASSERT_EQ(ha.size(), 1u);
  EXPECT_EQ(ha[0]["sid"], "vm:101");
  EXPECT_EQ(c.Get("/cluster/status").data()[0]["name"], "wf");

  // The lists keep parsed configs between requests (ConfigCache): a write shows in the next answer, and an
  // unchanged config answers as before.
  json before = c.Get("/cluster/resources", {{"type", "vm"}}).data();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0]["name"], "web");
  EXPECT_FALSE(before[0].contains("tags"));
  EXPECT_EQ(c.Get("/nodes/b/qemu").data()[0]["name"], "web");
  ASSERT_EQ(c.Put("/nodes/b/qemu/101/config", {{"name", "web2"}, {"tags", "blue"}}).status, 200);
  json after = c.Get("/cluster/resources", {{"type", "vm"}}).data();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["name"], "web2");
  EXPECT_EQ(after[0]["tags"], "blue");
  EXPECT_EQ(c.Get("/nodes/b/qemu").data()[0]["name"], "web2");
  after[0]["name"] = "web";
  after[0].erase("tags");
  for (const char* volatile_key : {"uptime", "cpu", "mem", "memhost", "netin", "netout", "diskread", "diskwrite"}) {
    after[0].erase(volatile_key);
    before[0].erase(volatile_key);
  }
  EXPECT_EQ(after, before);
}

TEST(PvesimCluster, GeneratedBenchmarkWorld) {
  PvesimOptions o;
  o.args = {"--generate", "nodes=4,vms=200,ha=20,vlans=5,pools=3"};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Get("/nodes").data().size(), 4u);
  json vms = c.Get("/cluster/resources", {{"type", "vm"}}).data();
  EXPECT_EQ(vms.size(), 200u);
  for (const auto& vm : vms) EXPECT_EQ(vm["type"], "qemu");
  EXPECT_EQ(c.Get("/cluster/ha/resources").data().size(), 20u);
  EXPECT_EQ(c.Get("/cluster/sdn/vnets", {{"running", "1"}}).data().size(), 5u);
  EXPECT_EQ(c.Get("/pools").data().size(), 3u);
}

// A job naming a pool covers the pool's guests (found by the clang fuzz build's -Wdangling-gsl: the members
// were read from a map already freed).
TEST(PvesimCluster, ABackupJobOverAPoolCoversItsGuests) {
  PVESIM_START_OR_SKIP(pvesim, PvesimOptions{});
  PvesimClient c(*pvesim);
  for (const char* vmid : {"101", "102"}) {
    ApiResult created = c.Post("/nodes/pve-01/qemu", {{"vmid", vmid}, {"memory", "512"}});
    ASSERT_EQ(created.status, 200) << created.raw;
    c.WaitTask(created.data());
  }
  ASSERT_EQ(c.Post("/pools", {{"poolid", "nightly"}}).status, 200);
  ASSERT_EQ(c.Put("/pools/nightly", {{"vms", "101"}}).status, 200);
  ASSERT_EQ(c.Post("/cluster/backup", {{"id", "pool-job"}, {"storage", "local"}, {"pool", "nightly"},
                                       {"schedule", "03:00"}}).status, 200);
  ApiResult uncovered = c.Get("/cluster/backup-info/not-backed-up");
  ASSERT_EQ(uncovered.status, 200) << uncovered.raw;
  ASSERT_EQ(uncovered.data().size(), 1u) << uncovered.data().dump();
  EXPECT_EQ(uncovered.data()[0]["vmid"], 102);
}

}  // namespace
}  // namespace hainfra::testing
