// The datacenter and pool kinds' translation pairs without a cluster: datacenter.cfg as get_options answers
// it -> the spec's shape (Proxmox's defaults in for the plan, out for the export), the PUT parameters of an
// update (declared sub-keys laid over the cluster's), and a pool's members -> `vms` and `storage`.
#include <gtest/gtest.h>

#include "providers/kinds/datacenter.h"
#include "providers/kinds/pool.h"

namespace hainfra::providers {
namespace {

const Value kAnswer = {
    {"keyboard", "de"},
    {"mac_prefix", "BC:24:11"},
    {"description", ""},
    {"max_workers", "4"},
    {"bwlimit", "clone=1000,restore=2000"},
    {"migration", {{"type", "insecure"}}},
    {"crs", {{"ha", "static"}, {"ha-rebalance-on-start", 1}}},
    {"next-id", {{"lower", "1000"}, {"upper", "2000"}}},
    {"tag-style", {{"shape", "full"}, {"color-map", "prod:ff0000;lab:00ff00:000000"}}},
};

TEST(DatacenterTranslation, AnswerReadsAsTheSpecWithProxmoxsDefaultsForThePlan) {
  Result<Value> body = DatacenterKind::Decode(kAnswer, /*with_defaults=*/true);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["keyboard"], "de");
  EXPECT_EQ((*body)["max_workers"], 4);
  EXPECT_EQ((*body)["bwlimit"], (Value{{"clone", 1000}, {"restore", 2000}}));
  EXPECT_EQ((*body)["migration"], (Value{{"type", "insecure"}}));
  EXPECT_EQ((*body)["crs"], (Value{{"ha", "static"}, {"ha_rebalance_on_start", true}}));
  EXPECT_EQ((*body)["next_id"], (Value{{"lower", 1000}, {"upper", 2000}}));
  EXPECT_EQ((*body)["tag_style"]["color_map"], (Value{{"prod", "ff0000"}, {"lab", "00ff00:000000"}}));
  EXPECT_EQ((*body)["tag_style"]["ordering"], "alphabetical") << "a default read in";
  EXPECT_EQ((*body)["ha"], (Value{{"shutdown_policy", "conditional"}})) << "a default read in";
  EXPECT_EQ((*body)["mac_prefix"], "BC:24:11");
  EXPECT_FALSE(body->contains("description"));
}

TEST(DatacenterTranslation, TheExportWritesOnlyWhatTheFileSets) {
  Result<Value> body = DatacenterKind::Decode(kAnswer, /*with_defaults=*/false);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_FALSE(body->contains("mac_prefix")) << "the OUI get_options answers when the file has none";
  EXPECT_FALSE(body->contains("ha"));
  EXPECT_FALSE((*body)["tag_style"].contains("ordering"));
}

TEST(DatacenterTranslation, AnUpdateLaysTheDeclaredSubKeysOverTheClustersOnes) {
  const Value desired = {{"keyboard", "en-us"},
                         {"migration", {{"network", "10.20.20.0/24"}}},
                         {"bwlimit", {{"migration", 500}}},
                         {"tag_style", {{"color_map", {{"hpc", "1f77b4"}}}}}};
  Result<Value> params =
      DatacenterKind::Encode(desired, {"migration", "bwlimit", "tag_style"}, kAnswer);
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ(*params, (Value{{"migration", "type=insecure,network=10.20.20.0/24"},
                            {"bwlimit", "clone=1000,migration=500,restore=2000"},
                            {"tag-style", "shape=full,color-map=hpc:1f77b4"}}))
      << "keyboard is not among the changed fields; color_map is owned whole";
}

TEST(PoolTranslation, MembersBecomeGuestsAndStorages) {
  const Value pool = {{"poolid", "research"},
                      {"comment", "the research group"},
                      {"members",
                       {{{"id", "qemu/100"}, {"vmid", 100}, {"node", "pve-01"}, {"type", "qemu"}},
                        {{"id", "lxc/101"}, {"vmid", 101}, {"node", "pve-02"}, {"type", "lxc"}},
                        {{"id", "storage/pve-01/local"}, {"storage", "local"}, {"node", "pve-01"}, {"type", "storage"}}}}};
  Result<Value> body = PoolKind::Decode(pool);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, (Value{{"id", "research"},
                          {"comment", "the research group"},
                          {"vms", {100, 101}},
                          {"storage", {"local"}}}));
  Result<Value> empty = PoolKind::Decode(Value{{"poolid", "lab/students"}, {"members", Value::array()}});
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(*empty, (Value{{"id", "lab/students"}, {"vms", Value::array()}, {"storage", Value::array()}}));
}

}  // namespace
}  // namespace hainfra::providers
