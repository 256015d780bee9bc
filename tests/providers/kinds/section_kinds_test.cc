// The translation pairs of the section-config kinds (storage, HA, backup jobs) and of Ceph pools, read from
// the real captures in ../shared/pve-fixtures: what Proxmox answers reads into the spec's shape, with the
// defaults Proxmox applies spelled out, and a spec written the same way reads without phantom differences.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/kinds/backup_job.h"
#include "providers/kinds/ceph_pool.h"
#include "providers/kinds/ha_group.h"
#include "providers/kinds/ha_resource.h"
#include "providers/kinds/ha_rule.h"
#include "providers/kinds/storage.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

#define FIXTURE_OR_SKIP(var, name)                                                                     \
  const std::string var = Fixture(name);                                                              \
  if (var.empty()) GTEST_SKIP() << "no ../shared/pve-fixtures/" << name << " (HAINFRA_SHARED_DIR=" \
                                << HAINFRA_SHARED_DIR << ")"

// A section-config file as the list endpoint answers it: one object per section, `<type>: <id>` giving the
// type and the id key, then the section's `key value` lines as strings (as Proxmox's JSON answers carry).
std::vector<Value> Sections(const std::string& text, const std::string& id_key) {
  std::vector<Value> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (start == 0) {
      const size_t colon = line.find(':');
      Value section = {{"type", line.substr(0, colon)}, {id_key, line.substr(line.find_first_not_of(' ', colon + 1))}};
      out.push_back(std::move(section));
      continue;
    }
    const std::string body = line.substr(start);
    const size_t space = body.find_first_of(" \t");
    out.back()[body.substr(0, space)] = body.substr(body.find_first_not_of(" \t", space));
  }
  return out;
}

// A client that never sends anything: the translation functions do not talk to the cluster.
std::unique_ptr<transport::ApiClient> OfflineClient() {
  transport::ApiSettings settings;
  settings.endpoint = "https://127.0.0.1:1";
  settings.token_id = "hainfra@pve!ci";
  settings.token_secret = transport::Secret("never-sent");
  auto client = transport::ApiClient::Create(std::move(settings));
  return client ? std::move(*client) : nullptr;
}

// Exposes the protected translation pair of a kind.
template <typename Kind>
struct Probe : Kind {
  using Kind::Kind;
  using Kind::Decode;
  using Kind::Encode;
};

TEST(StorageTranslation, TheRealPve9StorageCfgReadsWithProxmoxDefaults) {
  FIXTURE_OR_SKIP(text, "cfg-storage-pve9.cfg");
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<StorageKind> kind(*api);
  const std::vector<Value> sections = Sections(text, "storage");
  ASSERT_EQ(sections.size(), 2u);

  auto local = kind.Decode(sections[0]);
  ASSERT_TRUE(local && local->has_value());
  EXPECT_EQ((*local)->name, "local");
  EXPECT_EQ((*local)->body, (Value{{"id", "local"},
                                   {"type", "dir"},
                                   {"path", "/var/lib/vz"},
                                   {"content", {"iso", "vztmpl", "backup", "import"}},
                                   {"shared", false},
                                   {"disable", false}}));
  auto lvm = kind.Decode(sections[1]);
  ASSERT_TRUE(lvm && lvm->has_value());
  EXPECT_EQ((*lvm)->body.value("thinpool", ""), "data");
  EXPECT_EQ((*lvm)->body.value("vgname", ""), "pve");

  // Written back, the same keys come out (the id and type go apart).
  auto params = kind.Encode((*local)->body);
  ASSERT_TRUE(params);
  EXPECT_EQ(params->value("content", ""), "iso,vztmpl,backup,import");
  EXPECT_EQ(params->value("type", ""), "dir");
}

TEST(StorageTranslation, SecretsProxmoxNeverAnswersAreNotReadAndSharedTypesAreShared) {
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<StorageKind> kind(*api);
  auto pbs = kind.Decode(Value{{"storage", "pbs"},
                               {"type", "pbs"},
                               {"server", "10.30.0.50"},
                               {"datastore", "lab"},
                               {"encryption-key", "ab:cd:ef"},  // the key's fingerprint, not the key
                               {"prune-backups", "keep-daily=7,keep-weekly=4"},
                               {"content", "backup"}});
  ASSERT_TRUE(pbs && pbs->has_value());
  EXPECT_FALSE((*pbs)->body.contains("encryption_key"));
  EXPECT_EQ((*pbs)->body["shared"], true);
  EXPECT_EQ((*pbs)->body["prune"], (Value{{"keep_daily", 7}, {"keep_weekly", 4}}));
}

TEST(HaTranslation, ThePve8GroupsOfTheDocsReadAsNodePriorityMaps) {
  FIXTURE_OR_SKIP(text, "cfg-ha-groups-docs.cfg");
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<HaGroupKind> kind(*api);
  const std::vector<Value> groups = Sections(text, "group");
  ASSERT_EQ(groups.size(), 3u);
  auto mygroup1 = kind.Decode(groups[1]);
  ASSERT_TRUE(mygroup1 && mygroup1->has_value());
  EXPECT_EQ((*mygroup1)->body, (Value{{"name", "mygroup1"},
                                      {"nodes", {{"node1", 2}, {"node2", 1}, {"node3", 1}, {"node4", 0}}},
                                      {"restricted", false},
                                      {"nofailback", false}}));
  auto mygroup2 = kind.Decode(groups[2]);
  ASSERT_TRUE(mygroup2 && mygroup2->has_value());
  EXPECT_EQ((*mygroup2)->body["restricted"], true);
  // Written back: nodes sorted, priority 0 bare, as the GUI writes them.
  auto params = kind.Encode((*mygroup1)->body);
  ASSERT_TRUE(params);
  EXPECT_EQ(params->value("nodes", ""), "node1:2,node2:1,node3:1,node4");
}

TEST(HaTranslation, TheDocsNodeAffinityRulesReadWithStrictDefaulted) {
  FIXTURE_OR_SKIP(text, "cfg-ha-rules-node-affinity-docs.cfg");
  const std::vector<Value> rules = Sections(text, "rule");
  ASSERT_EQ(rules.size(), 2u);
  auto strict = ha_rules::DecodeRule(rules[0]);
  ASSERT_TRUE(strict);
  EXPECT_EQ(*strict, (Value{{"type", "node-affinity"},
                            {"resources", {"vm:100"}},
                            {"nodes", {{"node1", 0}}},
                            {"strict", true},
                            {"disable", false}}));
  auto cascade = ha_rules::DecodeRule(rules[1]);
  ASSERT_TRUE(cascade);
  EXPECT_EQ((*cascade)["strict"], false);
  EXPECT_EQ((*cascade)["nodes"], (Value{{"node1", 2}, {"node2", 1}, {"node3", 1}, {"node4", 0}}));
  EXPECT_EQ((*cascade)["resources"], (Value{"vm:200", "ct:300"}));
}

TEST(HaTranslation, TheResourceAffinityRulesOfTheDocsRead) {
  FIXTURE_OR_SKIP(text, "cfg-ha-rules-resource-affinity-docs.cfg");
  for (const Value& rule : Sections(text, "rule")) {
    auto decoded = ha_rules::DecodeRule(rule);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ((*decoded)["type"], "resource-affinity");
    EXPECT_TRUE((*decoded)["affinity"] == "positive" || (*decoded)["affinity"] == "negative") << decoded->dump();
    EXPECT_FALSE(decoded->contains("strict"));
  }
}

TEST(HaTranslation, ResourcesReadWithPveHaManagersDefaults) {
  FIXTURE_OR_SKIP(text, "cfg-ha-resources-docs.cfg");
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<HaResourceKind> pve9(*api, 9);
  Probe<HaResourceKind> pve8(*api, 8);
  std::vector<Value> resources;
  for (Value r : Sections(text, "sid")) {
    r["sid"] = r["type"].get<std::string>() + ":" + r["sid"].get<std::string>();  // the API answers vm:501
    resources.push_back(r);
  }
  ASSERT_EQ(resources.size(), 2u);
  auto vm = pve9.Decode(resources[0]);
  ASSERT_TRUE(vm && vm->has_value());
  EXPECT_EQ((*vm)->name, "vm:501");
  EXPECT_EQ((*vm)->body, (Value{{"sid", "vm:501"},
                                {"state", "started"},
                                {"max_restart", 1},
                                {"max_relocate", 2},
                                {"failback", true}}));
  auto ct = pve8.Decode(resources[1]);
  ASSERT_TRUE(ct && ct->has_value());
  EXPECT_FALSE((*ct)->body.contains("failback"));  // PVE 8 has no failback
}

TEST(HaTranslation, Pve9GroupsAreNamedAsTheMigrationNamesThem) {
  EXPECT_EQ(HaGroupRuleKind::RuleId("hpc"), "ha-group-hpc");
}

TEST(BackupJobTranslation, TheRealJobListReadsIntoTheSpecShape) {
  FIXTURE_OR_SKIP(text, "api-cluster-backup.json");
  const Value jobs = Value::parse(text);
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<BackupJobKind> kind(*api);
  auto second = kind.Decode(jobs[1]);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->name, "backup-70025700-2302");
  const Value& body = (*second)->body;
  EXPECT_EQ(body["vms"], (Value{100, 101, 102}));
  EXPECT_EQ(body["schedule"], "sat 15:00");
  EXPECT_EQ(body["enabled"], true);
  EXPECT_EQ(body["notes_template"], "guestname");
  EXPECT_EQ(body["mail_notification"], "always");
  EXPECT_FALSE(body.contains("next-run"));
  EXPECT_FALSE(body.contains("next_run"));

  auto params = kind.Encode(body);
  ASSERT_TRUE(params);
  EXPECT_EQ(params->value("vmid", ""), "100,101,102");
  EXPECT_EQ(params->value("notes-template", ""), "guestname");
}

TEST(BackupJobTranslation, CompressNoneIsZeroOnTheWire) {
  auto api = OfflineClient();
  ASSERT_NE(api, nullptr);
  Probe<BackupJobKind> kind(*api);
  auto params = kind.Encode(Value{{"schedule", "02:00"}, {"compress", "none"}});
  ASSERT_TRUE(params);
  EXPECT_EQ(params->value("compress", ""), "0");
  auto job = kind.Decode(Value{{"id", "j1"}, {"type", "vzdump"}, {"schedule", "02:00"}, {"compress", "0"}});
  ASSERT_TRUE(job && job->has_value());
  EXPECT_EQ((*job)->body["compress"], "none");
}

TEST(CephPoolTranslation, TheRealPoolListGivesTheCrushRuleByNameAndTheApplication) {
  FIXTURE_OR_SKIP(text, "api-nodes-node-ceph-pool.json");
  const Value pools = Value::parse(text);
  auto pool = CephPoolKind::DecodePool(pools[0]);
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_EQ(*pool, (Value{{"name", "test"},
                          {"size", 3},
                          {"min_size", 2},
                          {"pg_num", 128},
                          {"pg_autoscale_mode", "warn"},
                          {"application", "rbd"},
                          {"crush_rule", "replicated_rule"}}));
}

TEST(CephPoolTranslation, PgNumIsOutOfTheVersionWhileTheAutoscalerOwnsIt) {
  Value on = {{"name", "p"}, {"size", 3}, {"pg_num", 32}, {"pg_autoscale_mode", "on"}};
  Value scaled = on;
  scaled["pg_num"] = 128;
  EXPECT_EQ(CephPoolKind::PoolVersion(on), CephPoolKind::PoolVersion(scaled));
  Value off = on;
  off["pg_autoscale_mode"] = "off";
  Value off_scaled = off;
  off_scaled["pg_num"] = 128;
  EXPECT_NE(CephPoolKind::PoolVersion(off), CephPoolKind::PoolVersion(off_scaled));
}

}  // namespace
}  // namespace hainfra::providers

#undef FIXTURE_OR_SKIP
