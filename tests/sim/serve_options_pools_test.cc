// pvesim as a process (schema validation on): datacenter.cfg over /cluster/options as pve-cluster parses and
// writes it, and resource pools over /pools as pve-manager's API2::Pool keeps them in user.cfg.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/kind_e2e.h"
#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

PvesimOptions OnPve(int pve) {
  PvesimOptions options;
  options.pve = pve;
  return options;
}

// A capture from ../shared/pve-fixtures as the file pvesim starts with; empty when it is not there.
std::string OptionsFixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PvesimOptions, AnswersACapturedDatacenterCfgAsPveClusterParsesIt) {
  const std::string captured = OptionsFixture("cfg-datacenter-pve9-webauthn.cfg");
  if (captured.empty()) GTEST_SKIP() << "no captures under " << HAINFRA_SHARED_DIR;
  TempDir dir("options-fixture");
  json world = GuestWorld(9, {});
  world["files"] = {{"datacenter.cfg", captured}};
  PvesimOptions options;
  options.args = WorldArgs(dir, world);
  PVESIM_START_OR_SKIP(pvesim, options);
  json o = PvesimClient(*pvesim).Get("/cluster/options").data();
  EXPECT_EQ(o.value("keyboard", ""), "en-us");
  EXPECT_EQ(o["webauthn"], (json{{"id", "192.168.86.57"}, {"rp", "192.168.86.57"}}));
}

TEST(PvesimPools, ListsTheCapturedPoolLinesOfUserCfg) {
  const std::string captured = OptionsFixture("cfg-user-upstream-test-pools.cfg");
  if (captured.empty()) GTEST_SKIP() << "no captures under " << HAINFRA_SHARED_DIR;
  TempDir dir("pools-fixture");
  json world = GuestWorld(9, {});
  // The simulator's own root@pam and token lines first: the client authenticates with that token.
  world["files"] = {{"user.cfg", "user:root@pam:1:0:::root@pam.invalid:::\ntoken:root@pam!hainfra:0:0::\n" + captured}};
  PvesimOptions options;
  options.args = WorldArgs(dir, world);
  PVESIM_START_OR_SKIP(pvesim, options);
  PvesimClient c(*pvesim);
  json list = c.Get("/pools").data();
  ASSERT_EQ(list.size(), 3u) << list.dump();
  EXPECT_EQ(list[0], (json{{"poolid", "devel"}, {"comment", "MITS development"}}));
  EXPECT_EQ(list[2], (json{{"poolid", "marketing/interns"}, {"comment", "MITS marketing intern"}}));
  // Its members exist nowhere here: kept in the file but not listed, and no obstacle to deleting the pool.
  EXPECT_EQ(c.Get("/pools", {{"poolid", "devel"}}).data()[0]["members"], json::array());
  EXPECT_EQ(c.Delete("/pools", {{"poolid", "marketing/interns"}}).status, 200);
}

TEST(PvesimOptions, AnswersTheParsedFileWithTheMacPrefixDefaultAndNoDigest) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult get = c.Get("/cluster/options");
  ASSERT_EQ(get.status, 200) << get.raw;
  json options = get.data();
  EXPECT_EQ(options.value("keyboard", ""), "en-us");
  EXPECT_EQ(options.value("mac_prefix", ""), "BC:24:11");  // the Proxmox OUI when the file sets none
  EXPECT_EQ(options.value("description", "?"), "");
  EXPECT_TRUE(options["allowed-tags"].is_array());
  EXPECT_FALSE(options.contains("digest")) << "set_options takes no digest, get_options answers none";
}

TEST(PvesimOptions, PropertyStringsAreSetAsGivenAndAnsweredAsObjects) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult put = c.Put("/cluster/options", {{"migration", "insecure,network=10.20.20.0/24"},
                                             {"crs", "ha=static,ha-rebalance-on-start=1"},
                                             {"ha", "shutdown_policy=migrate"},
                                             {"bwlimit", "migration=102400,restore=51200"},
                                             {"next-id", "upper=2000,lower=1000"},
                                             {"tag-style", "shape=full,color-map=prod:ff0000"},
                                             {"max_workers", "4"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  json o = c.Get("/cluster/options").data();
  EXPECT_EQ(o["migration"], (json{{"type", "insecure"}, {"network", "10.20.20.0/24"}}));
  EXPECT_EQ(o["crs"], (json{{"ha", "static"}, {"ha-rebalance-on-start", 1}}));
  EXPECT_EQ(o["ha"], (json{{"shutdown_policy", "migrate"}}));
  EXPECT_EQ(o["bwlimit"], "migration=102400,restore=51200") << "pve-cluster leaves bwlimit a string";
  EXPECT_EQ(o["next-id"], (json{{"lower", "1000"}, {"upper", "2000"}}));
  EXPECT_EQ(o["tag-style"], (json{{"shape", "full"}, {"color-map", "prod:ff0000"}}));
  EXPECT_EQ(o["max_workers"], "4");
  // `delete` drops keys; the default MAC prefix is never written to the file.
  ASSERT_EQ(c.Put("/cluster/options", {{"delete", "bwlimit,max_workers"}, {"mac_prefix", "bc:24:11"}}).status, 200);
  o = c.Get("/cluster/options").data();
  EXPECT_FALSE(o.contains("bwlimit"));
  EXPECT_FALSE(o.contains("max_workers"));
  EXPECT_EQ(o["mac_prefix"], "BC:24:11");
  EXPECT_EQ(o["migration"]["type"], "insecure") << "untouched keys stay";
}

TEST(PvesimOptions, RefusesWhatTheSchemaAndTheWriterRefuse) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult prefix = c.Put("/cluster/options", {{"mac_prefix", "BD:24"}});
  EXPECT_EQ(prefix.status, 400) << prefix.raw;
  EXPECT_NE(prefix.errors().value("mac_prefix", "").find("not a valid unicast MAC address prefix"), std::string::npos)
      << prefix.raw;
  EXPECT_EQ(c.Put("/cluster/options", {{"migration", "type=secure,network=10.20.20.0"}}).status, 400);
  EXPECT_EQ(c.Put("/cluster/options", {{"keyboard", "en-xx"}}).status, 400);
  EXPECT_EQ(c.Put("/cluster/options", {{"max_workers", "0"}}).status, 400);
  EXPECT_EQ(c.Put("/cluster/options", {{"digest", "0123"}}).status, 400) << "no digest parameter";
  ApiResult range = c.Put("/cluster/options", {{"next-id", "lower=5000,upper=1000"}});
  EXPECT_EQ(range.status, 500) << range.raw;
  EXPECT_NE(range.message().find("lower (5000) <= upper (1000) boundary rule broken"), std::string::npos)
      << range.raw;
}

TEST(PvesimOptions, DynamicCrsIsAPve9Value) {
  PVESIM_START_OR_SKIP(pve8, OnPve(8));
  PvesimClient c8(*pve8);
  EXPECT_EQ(c8.Put("/cluster/options", {{"crs", "ha=dynamic"}}).status, 400);
  PVESIM_START_OR_SKIP(pve9, OnPve(9));
  PvesimClient c9(*pve9);
  EXPECT_EQ(c9.Put("/cluster/options", {{"crs", "ha=dynamic"}}).status, 200);
}

TEST(PvesimPools, NestedPoolsNeedTheirParentAndANameStartingWithALetter) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult orphan = c.Post("/pools", {{"poolid", "lab/students"}});
  EXPECT_EQ(orphan.status, 500);
  EXPECT_NE(orphan.message().find("parent 'lab' of pool 'lab/students' does not exist"), std::string::npos)
      << orphan.raw;
  EXPECT_NE(c.Post("/pools", {{"poolid", "1lab"}}).message().find("pool name must start with a letter"),
            std::string::npos);
  ASSERT_EQ(c.Post("/pools", {{"poolid", "lab"}, {"comment", "the lab"}}).status, 200);
  ASSERT_EQ(c.Post("/pools", {{"poolid", "lab/students"}}).status, 200);
  EXPECT_NE(c.Post("/pools", {{"poolid", "lab"}}).message().find("pool 'lab' already exists"), std::string::npos);
  json list = c.Get("/pools").data();
  ASSERT_EQ(list.size(), 2u) << list.dump();
  EXPECT_EQ(list[0], (json{{"poolid", "lab"}, {"comment", "the lab"}}));
  EXPECT_EQ(list[1], (json{{"poolid", "lab/students"}}));
}

TEST(PvesimPools, MembersAreGuestsOfBothTypesAndStoragesAndAGuestMovesOnlyWithAllowMove) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/pools", {{"poolid", "a"}}).status, 200);
  ASSERT_EQ(c.Post("/pools", {{"poolid", "b"}}).status, 200);
  ASSERT_EQ(c.Put("/pools", {{"poolid", "a"}, {"vms", "100"}, {"storage", "local"}}).status, 200);
  json a = c.Get("/pools", {{"poolid", "a"}}).data();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(a[0]["members"].size(), 2u) << a.dump();
  EXPECT_EQ(a[0]["members"][0]["id"], "qemu/100");
  EXPECT_EQ(a[0]["members"][0]["type"], "qemu");
  EXPECT_EQ(a[0]["members"][1]["type"], "storage");
  EXPECT_EQ(a[0]["members"][1]["storage"], "local");
  EXPECT_NE(c.Put("/pools", {{"poolid", "a"}, {"vms", "100"}}).message().find("VM 100 is already a pool member"),
            std::string::npos);
  ApiResult move = c.Put("/pools", {{"poolid", "b"}, {"vms", "100"}});
  EXPECT_NE(move.message().find("VM 100 belongs already to pool 'a' and 'allow-move' is not set"), std::string::npos)
      << move.raw;
  ASSERT_EQ(c.Put("/pools", {{"poolid", "b"}, {"vms", "100"}, {"allow-move", "1"}}).status, 200);
  EXPECT_EQ(c.Get("/pools", {{"poolid", "b"}, {"type", "qemu"}}).data()[0]["members"].size(), 1u);
  EXPECT_EQ(c.Get("/pools/a").data()["members"].size(), 1u) << "the deprecated form: the storage is left";
  EXPECT_NE(c.Put("/pools", {{"poolid", "a"}, {"vms", "100"}, {"delete", "1"}}).message().find("is not a pool member"),
            std::string::npos);
}

TEST(PvesimPools, OnlyAnEmptyPoolIsDeleted) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/pools", {{"poolid", "a"}}).status, 200);
  ASSERT_EQ(c.Put("/pools", {{"poolid", "a"}, {"storage", "local"}}).status, 200);
  ApiResult busy = c.Delete("/pools", {{"poolid", "a"}});
  EXPECT_NE(busy.message().find("pool 'a' is not empty (contains storage 'local')"), std::string::npos) << busy.raw;
  ASSERT_EQ(c.Put("/pools", {{"poolid", "a"}, {"storage", "local"}, {"delete", "1"}}).status, 200);
  ASSERT_EQ(c.Delete("/pools", {{"poolid", "a"}}).status, 200);
  EXPECT_NE(c.Get("/pools", {{"poolid", "a"}}).message().find("pool 'a' does not exist"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::testing
